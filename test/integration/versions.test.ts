import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { ThreadInfo } from '../../src/core/store/historyStore.ts';
import type { SessionChatApi } from '../../src/host/api.ts';
import type { Snapshot } from '../../src/shared/protocol.ts';
import { activateApi, command, openChat, panelShows, storeOf, userTexts } from './support/extension.ts';
import { lastModelRequest, resetModelServer } from './support/modelServer.ts';

/** The user messages of the thread's stored history (what the SDK and the model see), oldest first. */
async function storedQuestions(api: SessionChatApi, threadId: string): Promise<string[]> {
  const items = (await storeOf(api).getItems(threadId)) as { role?: string; content?: unknown }[];
  return items.filter((item) => item.role === 'user').map((item) => (typeof item.content === 'string' ? item.content : JSON.stringify(item.content)));
}

/** The text of the last model request's input. */
async function sentToModel(): Promise<string> {
  return JSON.stringify((await lastModelRequest()).input);
}

const ids = (snapshot: Snapshot): number[] => snapshot.turns.map((turn) => turn.id);

describe('edit, regenerate, versions and fork, driven as the panel drives them', () => {
  let api: SessionChatApi;
  let thread: ThreadInfo;

  before(async () => {
    api = await activateApi();
    await openChat(api);
  });

  beforeEach(async () => {
    thread = await command<ThreadInfo>('newThread', { title: 'Branching' });
    for (const text of ['first question', 'second question', 'third question']) assert.equal((await api.send(text)).status, 'completed');
    await resetModelServer();
  });

  it('an edit re-asks from that turn: the model sees the edited history only, the panel shows "2 / 2" and no third turn', async () => {
    const before = await panelShows(api, (s) => s.thread.id === thread.id && s.turns.length === 3, 'three turns');
    const second = ids(before)[1]!;

    const result = await api.editQuestion(second, 'second question, edited');
    assert.equal(result.status, 'completed');
    const sent = await sentToModel();
    assert.ok(sent.includes('first question') && sent.includes('second question, edited'), sent);
    assert.ok(!sent.includes('"second question"') && !sent.includes('third question'), `the old version was sent: ${sent}`);
    assert.deepEqual(await storedQuestions(api, thread.id), ['first question', 'second question, edited']);

    // The snapshot after the answer was stored (the one before it shows the question alone).
    const shown = await panelShows(api, (s) => userTexts(s).join('|') === 'first question|second question, edited' && JSON.stringify(s.turns[1]).includes('Echo:'), 'the edited question with its answer, no third turn');
    assert.deepEqual(shown.turns[1]?.versions, { index: 2, count: 2 });
    assert.equal(shown.turns[0]?.versions, undefined);
    assert.ok(JSON.stringify(shown.turns[1]).includes('Echo: second question, edited'), 'its new answer');
    assert.equal(shown.lastRowId, (await storeOf(api).readView(thread.id, 1)).lastRowId);
  });

  it('Previous version brings back the original second and third turns; the next message continues that version', async () => {
    const before = await panelShows(api, (s) => s.thread.id === thread.id && s.turns.length === 3, 'three turns');
    await api.editQuestion(ids(before)[1]!, 'an edited second question');
    const edited = await panelShows(api, (s) => s.turns.length === 2 && s.turns[1]?.versions?.index === 2, 'the edited version');

    const switched = await api.switchVersion(ids(edited)[1]!, 'previous');
    assert.equal(switched.status, 'done');
    const original = await panelShows(api, (s) => userTexts(s).join('|') === 'first question|second question|third question', 'the original turns');
    assert.deepEqual(original.turns[1]?.versions, { index: 1, count: 2 });
    assert.deepEqual(await storedQuestions(api, thread.id), ['first question', 'second question', 'third question']);

    assert.equal((await api.send('fourth question')).status, 'completed');
    const sent = await sentToModel();
    assert.ok(['first question', 'second question', 'third question', 'fourth question'].every((text) => sent.includes(text)), sent);
    assert.ok(!sent.includes('an edited second question'), `the other version was sent: ${sent}`);

    // Export and the Switch Thread preview read the thread's session: the version shown.
    const document = await command<vscode.TextDocument>('exportThread');
    assert.ok(document.getText().includes('third question') && !document.getText().includes('an edited second question'));
    assert.match((await storeOf(api).previews([thread.id])).get(thread.id) ?? '', /fourth question/);
  });

  it('Regenerate answer asks the last question again and adds "2 / 2" to the last answer', async () => {
    const before = await panelShows(api, (s) => s.thread.id === thread.id && s.turns.length === 3, 'three turns');
    const result = await api.regenerate(ids(before)[2]!);
    assert.equal(result.status, 'completed');
    const sent = await sentToModel();
    assert.ok(sent.includes('third question'), sent);
    assert.equal((sent.match(/third question/g) ?? []).length, 1, 'the question is sent once, without its old answer');
    assert.deepEqual(await storedQuestions(api, thread.id), ['first question', 'second question', 'third question']);
    const shown = await panelShows(api, (s) => s.turns.length === 3 && s.turns[2]?.versions !== undefined, 'the regenerated turn');
    assert.deepEqual(shown.turns[2]?.versions, { index: 2, count: 2 });
  });

  it('a change from a stale view (another window changed the thread) is refused and changes nothing', async () => {
    const before = await panelShows(api, (s) => s.thread.id === thread.id && s.turns.length === 3, 'three turns');
    const stale = before.lastRowId!;
    // Another window (or a script) adds to the thread meanwhile.
    await storeOf(api).appendItems(thread.id, [{ type: 'message', role: 'user', content: 'from another window' }]);
    const items = await storeOf(api).getItems(thread.id);
    assert.deepEqual(await api.editQuestion(ids(before)[1]!, 'too late', stale), { status: 'conflict' });
    assert.deepEqual(await api.regenerate(ids(before)[2]!, stale), { status: 'conflict' });
    assert.equal((await api.switchVersion(ids(before)[1]!, 'previous', stale)).status, 'conflict');
    assert.deepEqual(await storeOf(api).getItems(thread.id), items, 'nothing changed');
    await panelShows(api, (s) => userTexts(s).at(-1) === 'from another window', 'the thread as it is now');
  });

  it('editing while an answer streams stops it first; the partial answer stays in its version', async () => {
    const before = await panelShows(api, (s) => s.thread.id === thread.id && s.turns.length === 3, 'three turns');
    const running = api.send('[slow] a long one');
    await panelShows(api, (s) => s.stream !== undefined, 'the answer streaming');
    // Wait for a little text, so there is a partial answer to keep.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const edited = await api.editQuestion(ids(before)[2]!, 'third question, edited');
    assert.equal((await running).status, 'stopped');
    assert.equal(edited.status, 'completed');
    assert.deepEqual(await storedQuestions(api, thread.id), ['first question', 'second question', 'third question, edited']);
    const shown = await panelShows(api, (s) => s.turns.length === 3 && s.turns[2]?.versions?.index === 2, 'the edit');
    await api.switchVersion(ids(shown)[2]!, 'previous');
    const old = await panelShows(api, (s) => userTexts(s).join('|') === 'first question|second question|third question|[slow] a long one', 'the version with the stopped answer');
    const partial = old.turns[3]?.entries.find((entry) => entry.kind === 'assistant');
    assert.ok(partial && partial.kind === 'assistant' && partial.partial === true && partial.text.startsWith('Echo:'), JSON.stringify(old.turns[3]));
  });

  it('Fork Thread forks at a turn (or the last one) into a new thread titled "(fork)"; the original is untouched', async () => {
    const before = await panelShows(api, (s) => s.thread.id === thread.id && s.turns.length === 3, 'three turns');
    const original = await storeOf(api).getItems(thread.id);

    const fork = await command<ThreadInfo>('forkThread', { turnId: ids(before)[0] });
    assert.equal(fork.title, 'Branching (fork)');
    assert.equal(fork.workspaceKey, api.workspaceKey());
    assert.equal(api.currentThreadId(), fork.id);
    assert.deepEqual(await storeOf(api).getItems(fork.id), original.slice(0, 2), 'the history through the first turn');
    await panelShows(api, (s) => s.thread.id === fork.id && userTexts(s).join('|') === 'first question', 'the fork');
    assert.deepEqual(await storeOf(api).getItems(thread.id), original, 'the original is untouched');

    assert.equal((await api.send('only in the fork')).status, 'completed');
    assert.deepEqual(await storedQuestions(api, thread.id), ['first question', 'second question', 'third question']);

    await command('switchThread', { threadId: thread.id });
    const whole = await command<ThreadInfo>('forkThread');
    assert.deepEqual(await storeOf(api).getItems(whole.id), original, 'without an argument: through the last turn');
  });
});
