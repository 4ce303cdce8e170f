// The host's pure parts that guard the chat view: command arguments, thread titles and the
// one-request-per-thread registry. They import no `vscode`, so they run here. (Webview message
// validation lives with the protocol in src/shared: see protocol.spec.ts.)
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { commandArgs } from '../../src/host/commands/commandArgs.ts';
import { DEFAULT_TITLE, titleFromMessage } from '../../src/host/chat/threadTitle.ts';
import { RunRegistry } from '../../src/host/chat/chatRuns.ts';
import type { TurnResult } from '../../src/core/model/types.ts';
import { emptyUsage } from '../../src/core/model/usage.ts';

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
  const done = (status: 'completed' | 'stopped'): TurnResult => ({ status, items: [], text: '', usage: emptyUsage() });

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
