import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Snapshot } from '../../src/shared/protocol.ts';
import { startWebview } from './helpers/webviewHarness.ts';

const snapshot: Snapshot = {
  thread: { id: 't1', title: 'Keys' },
  turns: [
    { id: 1, entries: [{ kind: 'user', text: 'First question' }, { kind: 'assistant', text: 'First answer' }] },
    { id: 3, entries: [{ kind: 'user', text: 'Second question' }, { kind: 'assistant', text: 'Second answer' }] },
  ],
  hasOlder: false,
  canUndo: true,
  canRedo: false,
  lastRowId: 4,
  model: 'm',
};

function start() {
  const { window, api, root, send } = startWebview();
  const textarea = root.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message"]');
  assert.ok(textarea);
  const press = (target: Element, key: string, init: KeyboardEventInit = {}): boolean =>
    target.dispatchEvent(new window.KeyboardEvent('keydown', { key, bubbles: true, cancelable: true, ...init }));
  const type = (text: string): void => {
    textarea.value = text;
    textarea.dispatchEvent(new window.Event('input'));
  };
  const active = (): Element | null => window.document.activeElement;
  const posted = (type: string) => api.posted.filter((message) => message.type === type);
  return { window, root, api, send, textarea, press, type, active, posted };
}

/** Sends a question and streams part of its answer. */
function streaming(ui: ReturnType<typeof start>): void {
  ui.send({ type: 'thread/snapshot', snapshot });
  ui.type('Tell me more');
  ui.press(ui.textarea, 'Enter');
  ui.send({ type: 'chat/delta', id: 'req1', delta: 'Part of the ' }, { type: 'chat/delta', id: 'req1', delta: 'answer' });
}

describe('webview keyboard', () => {
  test('Escape stops a streaming answer: chat/abort for its id, and the partial text stays on screen', () => {
    const ui = start();
    streaming(ui);
    ui.textarea.blur();
    assert.equal(ui.press(ui.window.document.body, 'Escape'), false, 'Escape is handled');
    assert.deepEqual(ui.posted('chat/abort'), [{ type: 'chat/abort', id: 'req1' }]);
    ui.send({ type: 'chat/done', id: 'req1', stopped: true });
    const last = Array.from(ui.root.querySelectorAll('article')).at(-1);
    assert.match(last?.textContent ?? '', /Part of the answer/);
    assert.equal(last?.getAttribute('aria-busy'), 'false', 'the partial answer is finished, not streaming');
    assert.equal(ui.active(), ui.textarea, 'the cursor is back in the message box');
  });

  test('Escape while typing in the message box during a stream stops it too; with nothing running it does nothing', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    assert.equal(ui.press(ui.textarea, 'Escape'), true, 'idle: not handled');
    assert.equal(ui.posted('chat/abort').length, 0);
    streaming(ui);
    ui.type('next question');
    ui.press(ui.textarea, 'Escape');
    assert.equal(ui.posted('chat/abort').length, 1);
  });

  test('Escape in the find bar closes the bar and leaves the stream running', () => {
    const ui = start();
    streaming(ui);
    ui.press(ui.window.document.body, 'f', { ctrlKey: true });
    const find = ui.root.querySelector<HTMLInputElement>('input[aria-label="Find in thread"]');
    assert.ok(find, 'the find box');
    ui.press(find, 'Escape');
    assert.equal(ui.posted('chat/abort').length, 0);
  });

  test('Up in the empty message box opens the last question for editing, with the cursor in it', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    assert.equal(ui.press(ui.textarea, 'ArrowUp'), false);
    const edit = ui.root.querySelector<HTMLTextAreaElement>('textarea[aria-label="Edited message"]');
    assert.ok(edit, 'an edit box opened');
    assert.equal(edit.value, 'Second question');
    assert.equal(edit.closest<HTMLElement>('.turn')?.dataset.turnId, '3');
    assert.equal(ui.active(), edit);
  });

  test('Up with text in the box, or in an empty thread, leaves the box alone', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: { ...snapshot, turns: [] } });
    assert.equal(ui.press(ui.textarea, 'ArrowUp'), true);
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.type('draft');
    assert.equal(ui.press(ui.textarea, 'ArrowUp'), true);
    assert.equal(ui.root.querySelector('textarea[aria-label="Edited message"]'), null);
  });

  test('the first snapshot and a switch to another thread put the cursor in the message box', () => {
    const ui = start();
    assert.notEqual(ui.active(), ui.textarea);
    ui.send({ type: 'thread/snapshot', snapshot });
    assert.equal(ui.active(), ui.textarea, 'after load (a reload restores the panel this way)');
    ui.root.querySelector<HTMLButtonElement>('button[aria-label^="Model: "]')?.focus();
    ui.send({ type: 'thread/snapshot', snapshot: { ...snapshot, turns: [] } });
    assert.notEqual(ui.active(), ui.textarea, 'the same thread changing does not move the cursor');
    ui.send({ type: 'thread/snapshot', snapshot: { ...snapshot, thread: { id: 't2', title: 'Other' }, turns: [] } });
    assert.equal(ui.active(), ui.textarea, 'another thread (New Thread, Switch Thread)');
  });

  test('Tab order: the message box comes before the panel\'s own actions (Stop, Send, the model)', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    const focusable = Array.from(ui.root.querySelectorAll<HTMLElement>('button, textarea, input, select, [tabindex="0"]')).filter(
      (node) => !(node as HTMLButtonElement).disabled && !node.hidden && !node.closest('[hidden]'),
    );
    const names = focusable.map((node) => node.getAttribute('aria-label') ?? node.textContent?.trim() ?? '');
    const box = names.indexOf('Message');
    assert.ok(box >= 0);
    assert.deepEqual(names.slice(box), ['Message', 'Model: m. Select model'], 'Tab from the box reaches the model button');
    assert.ok(names.indexOf('Conversation') < box, 'the conversation comes first');
  });
});
