import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { Snapshot } from '../../src/shared/protocol.ts';
import { initialViewModel, isBusy, reduce } from '../../src/webview/state.ts';
import { renderError } from '../../src/webview/renderLive.ts';

const unsavedSnapshot: Snapshot = {
  thread: { id: 't1', title: 'Thread' },
  turns: [{ id: 4, entries: [{ kind: 'user', text: 'keep my answer' }] }],
  hasOlder: false,
  canUndo: true,
  canRedo: false,
  model: 'm',
  unsaved: { text: 'The **answer** that could not be stored' },
  error: { message: 'The answer arrived but could not be saved (disk full).', actions: ['saveAnswer'] },
};

describe('webview: an answer the host could not store', () => {
  test('stays on screen as a finished answer, not a running one', () => {
    const model = reduce(initialViewModel, { type: 'host', message: { type: 'thread/snapshot', snapshot: unsavedSnapshot } });
    assert.equal(model.stream?.text, 'The **answer** that could not be stored');
    assert.equal(model.stream?.finished, true);
    assert.equal(isBusy(model), false, 'no Stop button: nothing is running');
    assert.deepEqual(model.error?.actions, ['saveAnswer']);
  });

  test('the error offers a Save Again button that runs the saveAnswer action', () => {
    const { document } = new JSDOM('<!doctype html><body></body>').window;
    const clicked: string[] = [];
    const box = renderError(document, unsavedSnapshot.error!, (action) => clicked.push(action));
    const button = [...box.querySelectorAll('button')].find((candidate) => candidate.textContent?.includes('Save Again'));
    assert.ok(button, 'a Save Again button');
    button.click();
    assert.deepEqual(clicked, ['saveAnswer']);
  });

  test('once saved, the next snapshot shows no separate answer', () => {
    let model = reduce(initialViewModel, { type: 'host', message: { type: 'thread/snapshot', snapshot: unsavedSnapshot } });
    const saved: Snapshot = { ...unsavedSnapshot, unsaved: undefined, error: undefined };
    delete saved.unsaved;
    delete saved.error;
    model = reduce(model, { type: 'host', message: { type: 'thread/snapshot', snapshot: saved } });
    assert.equal(model.stream, undefined);
  });
});

describe('webview: snapshots during a running answer', () => {
  const base: Snapshot = { thread: { id: 't1', title: 'Thread' }, turns: [], hasOlder: false, canUndo: true, canRedo: false, model: 'm' };

  test('a snapshot without the stream text keeps the deltas this page already shows', () => {
    let model = reduce(initialViewModel, { type: 'host', message: { type: 'thread/snapshot', snapshot: { ...base, stream: { id: 'r1', text: 'Hello' } } } });
    model = reduce(model, { type: 'host', message: { type: 'chat/delta', id: 'r1', delta: ', world' } });
    model = reduce(model, { type: 'host', message: { type: 'thread/snapshot', snapshot: { ...base, stream: { id: 'r1' } } } });
    assert.equal(model.stream?.text, 'Hello, world');
    assert.equal(isBusy(model), true);
  });

  test('a page that (re)loads mid-answer takes the text from the snapshot', () => {
    const model = reduce(initialViewModel, { type: 'host', message: { type: 'thread/snapshot', snapshot: { ...base, stream: { id: 'r2', text: 'So far' } } } });
    assert.equal(model.stream?.text, 'So far');
  });
});
