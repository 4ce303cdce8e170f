import assert from 'node:assert/strict';
import type { CompactionOutcome } from '../../src/core/context/compaction.ts';
import type { ThreadInfo } from '../../src/core/store/historyStore.ts';
import type { SessionChatApi } from '../../src/host/api.ts';
import type { Snapshot, ViewEntry } from '../../src/shared/protocol.ts';
import { activateApi, command, openChat, panelShows, storeOf, userTexts } from './support/extension.ts';
import { lastModelRequest, modelRequests, nextModelBehaviour, resetModelServer } from './support/modelServer.ts';

type SummaryEntry = Extract<ViewEntry, { kind: 'summary' }>;

/** The panel's summary entries, oldest first. */
function summaries(snapshot: Snapshot): SummaryEntry[] {
  return snapshot.turns.flatMap((turn) => turn.entries.filter((entry): entry is SummaryEntry => entry.kind === 'summary'));
}

/** The user messages of a model request's input, each as its JSON (a summary's header shows in it). */
function userInputs(input: unknown[]): string[] {
  return (input as { role?: string }[]).filter((entry) => entry.role === 'user').map((entry) => JSON.stringify(entry));
}

const SUMMARY = 'The user asked the first and the second question; both were echoed back. Nothing is open.';

describe('Compact Thread summarises the older turns into one item that Undo removes', () => {
  let api: SessionChatApi;

  before(async () => {
    api = await activateApi();
    await openChat(api);
  });

  it('Compact Thread: a summary entry covers 2 of 4 turns; the next request starts with it and the 2 kept turns; Undo Last Turn removes it', async () => {
    const thread = await command<ThreadInfo>('newThread', { title: 'Compact me' });
    const questions = ['first question', 'second question', 'third question', 'fourth question'];
    for (const text of questions) assert.equal((await api.send(text)).status, 'completed');
    await panelShows(api, (s) => s.thread.id === thread.id && userTexts(s).length === 4, 'four turns');
    const before = await storeOf(api).getItems(thread.id);
    await resetModelServer();

    await nextModelBehaviour({ reply: SUMMARY });
    const outcome = await command<CompactionOutcome>('compactThread');
    assert.equal(outcome.status, 'compacted', JSON.stringify(outcome));
    assert.deepEqual(outcome.status === 'compacted' && { turns: outcome.turns, kept: outcome.kept }, { turns: 2, kept: 2 });

    // The summariser read the two older turns, not the two kept ones.
    const asked = JSON.stringify((await lastModelRequest()).input);
    assert.ok(asked.includes('first question') && asked.includes('second question'), asked);
    assert.ok(!asked.includes('third question') && !asked.includes('fourth question'), asked);

    // The originals stay in the store; the summary is one item after them.
    const stored = await storeOf(api).getItems(thread.id);
    assert.deepEqual(stored.slice(0, before.length), before);
    assert.equal(stored.length, before.length + 1);

    const shown = await panelShows(api, (s) => summaries(s).length === 1, 'a summary entry');
    const [entry] = summaries(shown);
    assert.deepEqual({ text: entry?.text, turns: entry?.turns, kept: entry?.kept }, { text: SUMMARY, turns: 2, kept: 2 });
    assert.equal(entry?.rowId, shown.lastRowId, 'the summary is the newest row');
    assert.deepEqual(userTexts(shown), questions, 'the originals are still shown; the summary is no question');
    assert.equal(shown.error, undefined, 'the summary is not offered as an unanswered question');

    // The next message sends the summary first, then the kept turns verbatim, then itself.
    await resetModelServer();
    assert.equal((await api.send('fifth question')).status, 'completed');
    const sent = userInputs((await lastModelRequest()).input);
    assert.equal(sent.length, 4, sent.join('\n'));
    assert.ok(sent[0]?.includes('<conversation_summary turns=\\"2\\" kept=\\"2\\">') && sent[0].includes(SUMMARY), sent[0]);
    assert.deepEqual(
      sent.slice(1).map((text) => ['third question', 'fourth question', 'fifth question'].find((question) => text.includes(question))),
      ['third question', 'fourth question', 'fifth question'],
    );
    const input = JSON.stringify((await lastModelRequest()).input);
    assert.ok(!input.includes('first question') && !input.includes('Echo: second question'), `a summarised turn was sent: ${input}`);

    // Undo Last Turn: the fifth question, then the summary; the thread is as it was.
    assert.equal(await command<boolean>('undoTurn'), true);
    assert.equal(await command<boolean>('undoTurn'), true);
    assert.deepEqual(await storeOf(api).getItems(thread.id), before);
    await panelShows(api, (s) => summaries(s).length === 0 && userTexts(s).join('|') === questions.join('|'), 'the four turns without a summary');
  });

  it('Compact Thread waits for a running answer: refused while it streams, nothing stored', async () => {
    const thread = await command<ThreadInfo>('newThread', { title: 'Busy thread' });
    for (const text of ['one', 'two', 'three']) assert.equal((await api.send(text)).status, 'completed');
    await nextModelBehaviour({ long: { deltas: 30, delayMs: 100 } });
    const running = api.send('four, answered slowly');
    await panelShows(api, (s) => s.thread.id === thread.id && s.stream !== undefined, 'the answer streaming');
    const outcome = await command<CompactionOutcome>('compactThread');
    assert.deepEqual(outcome, { status: 'nothing', reason: 'a request is running in this thread.' });
    assert.equal((await running).status, 'completed');
    assert.ok(!(await storeOf(api).getItems(thread.id)).some((item) => JSON.stringify(item).includes('conversation_summary')));
  });

  it('Compact Thread with too few turns says why and asks no model', async () => {
    await command<ThreadInfo>('newThread', { title: 'Too short to compact' });
    for (const text of ['only question', 'second and last question']) assert.equal((await api.send(text)).status, 'completed');
    await resetModelServer();
    const outcome = await command<CompactionOutcome>('compactThread');
    assert.equal(outcome.status, 'nothing');
    assert.match(outcome.status === 'nothing' ? outcome.reason : '', /only 2 turns are sent, and the newest 2 turns are kept/);
    assert.equal((await modelRequests()).filter((request) => request.method === 'POST').length, 0);
  });
});
