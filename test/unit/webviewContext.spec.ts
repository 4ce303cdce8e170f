import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { Snapshot, WebviewMessage } from '../../src/shared/protocol.ts';
import { createComposer } from '../../src/webview/composer.ts';
import { createContextBar, hashQuery, wireHashCompletion } from '../../src/webview/contextBar.ts';
import { createRequests } from '../../src/webview/requests.ts';

const base: Snapshot = { thread: { id: 't', title: '' }, turns: [], hasOlder: false, canUndo: false, canRedo: false, model: 'm' };

function setup() {
  const { window } = new JSDOM('<!doctype html><body></body>');
  const doc = window.document;
  const posted: WebviewMessage[] = [];
  const sent: string[] = [];
  const composer = createComposer(doc, { onSend: (text) => sent.push(text), onStop: () => {}, onDraftChange: () => {}, onRecall: () => false });
  const bar = createContextBar(doc, (message) => posted.push(message), () => composer.focus());
  const slot = doc.createElement('div');
  slot.append(bar.element, composer.element);
  doc.body.append(slot);
  const requests = createRequests((message) => posted.push(message));
  let ids = 0;
  wireHashCompletion(doc, composer.textarea, slot, requests, () => `r${++ids}`, (message) => posted.push(message));
  const button = (name: string) => doc.querySelector<HTMLButtonElement>(`button[aria-label="${name}"]`);
  return { window, doc, bar, composer, posted, sent, requests, button, slot };
}

describe('webview context bar', () => {
  test('chips show each waiting attachment with its tooltip and a "Remove <name>" button', () => {
    const { doc, bar, posted, button } = setup();
    bar.update({ ...base, attachments: [{ id: 'a1', name: 'app.ts:3-7', detail: 'src/app.ts, lines 3-7' }, { id: 'a2', name: 'Problems: app.ts', detail: 'Problems of src/app.ts' }] });
    const chips = [...doc.querySelectorAll<HTMLElement>('[role="listitem"]')];
    assert.deepEqual(chips.map((chip) => [chip.textContent, chip.title]), [['app.ts:3-7', 'src/app.ts, lines 3-7'], ['Problems: app.ts', 'Problems of src/app.ts']]);
    button('Remove app.ts:3-7')!.click();
    assert.deepEqual(posted, [{ type: 'attachment/remove', id: 'a1' }]);
    bar.update(base);
    assert.equal(doc.querySelectorAll('[role="listitem"]').length, 0);
  });

  test('a waiting call shows its tool and arguments, with Allow, Deny and Always allow; the keyboard lands on Allow', () => {
    const { doc, bar, posted, button } = setup();
    bar.update({ ...base, approval: { callId: 'c1', name: 'read_file', args: '{\n  "path": "README.md"\n}' } });
    assert.match(doc.querySelector('.approval-card')!.textContent!, /The model wants to runread_file\{\s+"path": "README\.md"\s*\}/);
    assert.equal(doc.activeElement, button('Allow tool call'));
    button('Allow tool call')!.click();
    button('Deny tool call')!.click();
    [...doc.querySelectorAll('button')].find((node) => node.textContent === 'Always allow read_file in this workspace')!.click();
    assert.deepEqual(posted.map((message) => message.type === 'tool/answer' && message.decision), ['allow', 'deny', 'always']);
    bar.update(base);
    assert.equal(doc.querySelector('.approval-card'), null);
    assert.equal(doc.activeElement?.getAttribute('aria-label'), 'Message', 'the cursor returns to the message box');
  });

  test('hashQuery finds the #word before the cursor, not a # inside a word', () => {
    assert.deepEqual(hashQuery('look at #read', 13), { start: 8, query: 'read' });
    assert.deepEqual(hashQuery('#', 1), { start: 0, query: '' });
    assert.equal(hashQuery('issue#12', 8), undefined);
    assert.equal(hashQuery('#read more', 10), undefined);
  });

  test('# completes a workspace file: Enter attaches it, drops the #word, and does not send', async () => {
    const { window, composer, posted, requests, sent, doc } = setup();
    composer.textarea.value = 'explain #READ';
    composer.textarea.selectionStart = composer.textarea.selectionEnd = 13;
    composer.textarea.dispatchEvent(new window.Event('input'));
    const ask = posted.at(-1);
    assert.deepEqual(ask, { type: 'attachment/findFiles', id: 'r1', query: 'READ' });
    requests.receive({ type: 'reply', id: 'r1', ok: true, value: { files: ['README.md', 'docs/READING.md'] } });
    await new Promise((resolve) => setTimeout(resolve, 0));
    const options = [...doc.querySelectorAll('[role="option"]')].map((option) => option.textContent);
    assert.deepEqual(options, ['README.md', 'docs/READING.md']);
    composer.textarea.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, cancelable: true }));
    composer.textarea.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    assert.deepEqual(posted.at(-1), { type: 'attachment/addFile', path: 'docs/READING.md' });
    assert.equal(composer.textarea.value, 'explain ');
    assert.deepEqual(sent, [], 'Enter chose the file instead of sending');
    assert.equal(doc.querySelector<HTMLElement>('.hash-completion')!.hidden, true);
  });
});
