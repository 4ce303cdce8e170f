import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SessionChatApi } from '../../src/host/api.ts';
import { activateApi, command, openChat, openLikeTheStore, panelShows, storeOf, userTexts, type RawDatabase } from './support/extension.ts';

const lastAnswer = (items: readonly Record<string, unknown>[]) => JSON.stringify(items.at(-1));

describe('an answer that cannot be stored is not lost', () => {
  let api: SessionChatApi;
  let raw: RawDatabase;

  before(async () => {
    api = await activateApi();
    await openChat(api);
    raw = openLikeTheStore(api);
  });

  after(() => {
    raw.exec('DROP TRIGGER IF EXISTS refuse_answers');
    raw.close();
  });

  it('stays on screen with Save Again, blocks the next message, and Save Again stores it once', async () => {
    const thread = await command<{ id: string }>('newThread', { title: 'Disk trouble' });
    // Storing the answer fails the way a full disk does; storing the question still works.
    raw.exec(`CREATE TRIGGER refuse_answers BEFORE INSERT ON agent_messages
      WHEN json_extract(NEW.message_data, '$.role') = 'assistant' BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`);
    const result = await api.send('keep my answer');
    assert.equal(result.status, 'failed');
    const shown = await panelShows(api, (s) => s.thread.id === thread.id && s.unsaved !== undefined, 'the unsaved answer');
    assert.match(shown.unsaved!.text, /Echo: keep my answer/);
    assert.deepEqual(shown.error?.actions, ['saveAnswer']);
    assert.match(shown.error!.message, /could not be saved \(database or disk is full\)/);
    assert.doesNotMatch(shown.error!.message, /connection|network/i, 'not blamed on the network');
    assert.equal((await storeOf(api).getItems(thread.id)).length, 1, 'only the question is stored');

    const refused = await api.send('next question');
    assert.equal(refused.status, 'failed');
    assert.equal((await storeOf(api).getItems(thread.id)).length, 1, 'the next message waits for the answer to be saved');

    raw.exec('DROP TRIGGER refuse_answers');
    assert.equal(await command<boolean>('saveAnswer'), true);
    const items = await storeOf(api).getItems(thread.id);
    assert.equal(items.length, 2);
    assert.match(lastAnswer(items), /Echo: keep my answer/);
    await panelShows(api, (s) => s.unsaved === undefined && s.error === undefined && userTexts(s).join('|') === 'keep my answer', 'the saved answer as an ordinary turn');
    assert.equal(await command<boolean>('saveAnswer'), false, 'nothing left to save');
    assert.equal((await storeOf(api).getItems(thread.id)).length, 2, 'stored once');
  });

  it('a question left without an answer (a crash between the two) offers Retry', async () => {
    const thread = await command<{ id: string }>('newThread', { title: 'Crashed' });
    await storeOf(api).appendItems(thread.id, [{ type: 'message', role: 'user', content: 'asked before the crash' }]);
    await command('switchThread', { threadId: thread.id });
    const shown = await panelShows(api, (s) => s.thread.id === thread.id && s.error !== undefined, 'the unanswered question');
    assert.deepEqual(shown.error?.actions, ['retry']);
    assert.equal(shown.error?.message, 'This question has no answer yet.');
  });
});

describe('a long answer', () => {
  let api: SessionChatApi;

  before(async () => {
    api = await activateApi();
    await openChat(api);
  });

  afterEach(async () => {
    await vscode.workspace.getConfiguration('sessionChat').update('maxAnswerSeconds', undefined, vscode.ConfigurationTarget.Global);
    await vscode.workspace.getConfiguration('sessionChat').update('model', undefined, vscode.ConfigurationTarget.Global);
  });

  it('is not posted again with every refresh while it streams', async () => {
    await command('newThread', { title: 'Streaming' });
    const running = api.send('stream for a while [slow]');
    await panelShows(api, (s) => s.stream !== undefined, 'the running answer');
    // A settings change refreshes every surface mid-stream.
    await vscode.workspace.getConfiguration('sessionChat').update('model', 'test-model-2', vscode.ConfigurationTarget.Global);
    const refreshed = await panelShows(api, (s) => s.model === 'test-model-2' && s.stream !== undefined, 'a refresh during the stream');
    assert.equal(refreshed.stream?.text, undefined, 'the refresh leaves the streamed text to the deltas');
    await command('undoTurn');
    await running;
  });

  it('is cut at sessionChat.maxAnswerSeconds, kept as a stopped answer, and the panel says so', async () => {
    await command('newThread', { title: 'Too long' });
    await vscode.workspace.getConfiguration('sessionChat').update('maxAnswerSeconds', 10, vscode.ConfigurationTarget.Global);
    // The slow answer takes longer than 10 s.
    const result = await api.send('go on and on [slow]');
    assert.equal(result.status, 'stopped');
    const shown = await panelShows(api, (s) => s.error !== undefined && s.stream === undefined, 'the note under the cut answer');
    assert.match(shown.error!.message, /cut off at 10 seconds, the limit of sessionChat\.maxAnswerSeconds/);
    assert.deepEqual(shown.error!.actions, ['openSettings']);
    const entries = shown.turns.at(-1)!.entries;
    assert.deepEqual(entries.map((entry) => entry.kind), ['user', 'assistant']);
    assert.equal(entries[1]!.kind === 'assistant' && entries[1]!.partial, true);
  });
});
