// The host's pure parts that guard the chat view: webview message validation, command arguments,
// thread titles and the one-request-per-thread registry. They import no `vscode`, so they run here.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewMessage, MAX_MESSAGE_CHARS } from '../../src/host/surfaces/messageSchema.ts';
import { commandArgs } from '../../src/host/commands/commandArgs.ts';
import { DEFAULT_TITLE, titleFromMessage } from '../../src/host/chat/threadTitle.ts';
import { RunRegistry } from '../../src/host/chat/chatRuns.ts';
import type { TurnResult } from '../../src/core/model/types.ts';

describe('parseWebviewMessage', () => {
  test('accepts every message of the protocol', () => {
    const messages = [
      { type: 'ready' },
      { type: 'chat/send', id: 'r1', text: 'hello' },
      { type: 'chat/retry', id: 'r2' },
      { type: 'chat/abort', id: 'r1' },
      { type: 'thread/loadOlder', id: 'r3', beforeIndex: 30 },
      { type: 'code/insert', code: 'x = 1' },
      { type: 'code/copy', code: 'x = 1' },
      { type: 'command/run', command: 'undoTurn' },
    ];
    for (const message of messages) assert.deepEqual(parseWebviewMessage(message), { ok: true, message });
  });

  test('refuses unknown types, missing fields and wrong values', () => {
    const bad: unknown[] = [
      null,
      'ready',
      { type: 'fs/delete', path: '/' },
      { type: 'chat/send', id: 'r1' },
      { type: 'chat/send', id: '', text: 'hi' },
      { type: 'thread/loadOlder', id: 'r', beforeIndex: -1 },
      { type: 'thread/loadOlder', id: 'r', beforeIndex: 1.5 },
      { type: 'command/run', command: 'workbench.action.terminal.new' },
    ];
    for (const raw of bad) assert.equal(parseWebviewMessage(raw).ok, false, JSON.stringify(raw));
  });

  test('refuses oversized strings instead of passing them on', () => {
    assert.equal(parseWebviewMessage({ type: 'chat/send', id: 'r', text: 'x'.repeat(MAX_MESSAGE_CHARS + 1) }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'chat/abort', id: 'i'.repeat(1000) }).ok, false);
  });

  test('says which type it ignored, for the log', () => {
    const result = parseWebviewMessage({ type: 'evil/thing' });
    assert.equal(result.ok, false);
    if (!result.ok) assert.match(result.reason, /evil\/thing/);
  });
});

describe('commandArgs', () => {
  test('reads the test-friendly arguments', () => {
    assert.deepEqual(commandArgs('newThread', { title: 'Plan' }), { title: 'Plan' });
    assert.deepEqual(commandArgs('deleteThread', { confirm: false }), { confirm: false });
    assert.deepEqual(commandArgs('selectModel', { model: 'llama3' }), { model: 'llama3' });
    assert.deepEqual(commandArgs('setApiKey', { key: '' }), { key: '' });
  });

  test('treats what menus pass (or nothing) as "show the UI"', () => {
    assert.equal(commandArgs('clearSession', undefined), undefined);
    assert.equal(commandArgs('clearSession', { confirm: true }), undefined);
    assert.equal(commandArgs('deleteThread', { scheme: 'file', path: '/x' }), undefined);
    assert.equal(commandArgs('switchThread', { threadId: 42 }), undefined);
    assert.equal(commandArgs('selectModel', { model: '' }), undefined);
  });
});

describe('titleFromMessage', () => {
  test('keeps a short first line as it is', () => {
    assert.equal(titleFromMessage('  How do I  sort a map?\nMore detail here'), 'How do I sort a map?');
  });

  test('cuts long messages at a word near 40 characters', () => {
    const title = titleFromMessage('Explain the difference between optimistic and pessimistic locking');
    assert.equal(title, 'Explain the difference between…');
    assert.ok(title.length <= 41);
  });

  test('falls back to the default title for blank text', () => {
    assert.equal(titleFromMessage(' \n '), DEFAULT_TITLE);
  });
});

describe('RunRegistry', () => {
  const done = (status: 'completed' | 'stopped'): TurnResult => ({ status, items: [], text: '' });

  test('registers a run at once and forgets it when it ends', async () => {
    const runs = new RunRegistry();
    let finish: (result: TurnResult) => void = () => undefined;
    const run = runs.start('t1', 'r1', () => new Promise((resolve) => (finish = resolve)));
    assert.equal(runs.forThread('t1'), run);
    assert.equal(runs.byId('r1'), run);
    assert.equal(runs.forThread('t2'), undefined);
    finish(done('completed'));
    await run.done;
    assert.equal(runs.forThread('t1'), undefined);
  });

  test('stop aborts the run and waits until it has settled', async () => {
    const runs = new RunRegistry();
    let settled = false;
    runs.start('t1', 'r1', (active) =>
      new Promise((resolve) => {
        active.controller.signal.addEventListener('abort', () =>
          setTimeout(() => {
            settled = true;
            resolve(done('stopped'));
          }, 5),
        );
      }),
    );
    await runs.stop('t1');
    assert.equal(settled, true);
    assert.equal(runs.forThread('t1'), undefined);
  });
});
