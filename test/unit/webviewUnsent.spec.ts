// The history's server is away: a message that could not be stored comes back to the box, with a Retry.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Snapshot } from '../../src/shared/protocol.ts';
import { startWebview } from './helpers/webviewHarness.ts';

const snapshot: Snapshot = { thread: { id: 't1', title: 'Thread' }, turns: [], hasOlder: false, canUndo: false, canRedo: false, model: 'm' };

function start() {
  const { window, api, root, send } = startWebview();
  const textarea = root.querySelector<HTMLTextAreaElement>('[aria-label="Message"]')!;
  const type = (text: string): void => {
    textarea.value = text;
    textarea.dispatchEvent(new window.Event('input'));
  };
  const enter = (): void => void textarea.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'Enter', cancelable: true }));
  return { root, api, send, textarea, type, enter };
}

const away = { message: 'PostgreSQL at db:5432/chat cannot be reached (connection refused). Your message was not sent; it is back in the message box.', actions: ['reconnectStore' as const] };

describe('webview: a message the store could not keep', () => {
  test('goes back into the box, the error says why and offers Retry, which asks the host to reconnect', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.type('Why is the build red?');
    ui.enter();
    assert.equal(ui.textarea.value, '', 'Send empties the box');
    ui.send({ type: 'chat/error', id: 'req1', error: away, unsent: true });
    assert.equal(ui.textarea.value, 'Why is the build red?');
    assert.equal(ui.api.state?.draft, 'Why is the build red?', 'kept as the draft, also across a reload');
    const alert = ui.root.querySelector('[role="alert"]');
    assert.match(alert?.textContent ?? '', /cannot be reached.*back in the message box/);
    assert.equal(ui.root.querySelector('article'), null, 'no message is shown as sent');
    const retry = Array.from(alert!.querySelectorAll('button')).find((button) => button.textContent?.includes('Retry'));
    assert.ok(retry, 'Retry is offered');
    retry.click();
    assert.deepEqual(ui.api.posted.at(-1), { type: 'command/run', command: 'reconnectStore' });
  });

  test('what was typed meanwhile is kept after it; an error without `unsent` leaves the box alone', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.type('first');
    ui.enter();
    ui.type('second');
    ui.send({ type: 'chat/error', id: 'req1', error: away, unsent: true });
    assert.equal(ui.textarea.value, 'first\nsecond');

    const other = start();
    other.send({ type: 'thread/snapshot', snapshot });
    other.type('asked');
    other.enter();
    other.send({ type: 'chat/error', id: 'req1', error: { message: 'The server said 500.', actions: ['retry'] } });
    assert.equal(other.textarea.value, '');
  });
});
