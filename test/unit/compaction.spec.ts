import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { compactThread, COMPACTION_PROMPT, planCompaction, transcript, type CompactionPlan } from '../../src/core/context/compaction.ts';
import { historyAfterSummary, isSummaryItem, readSummary, summaryItem } from '../../src/core/context/summaryItem.ts';
import { contentText } from '../../src/core/items/itemFields.ts';
import { assistantItem, callOutputItem, modelCallItem, userItem } from '../../src/core/model/items.ts';
import type { ModelSource } from '../../src/core/model/modelSource.ts';
import { OpenAiCompatibleSource } from '../../src/core/model/openAiCompatibleSource.ts';
import type { Item } from '../../src/core/session/session.ts';
import { SqliteHistoryStore } from '../../src/core/store/sqliteHistoryStore.ts';
import { itemsToTurns } from '../../src/core/view/itemsToTurns.ts';
import { modelRequests, sentEntries, settingsFor, WIRE_APIS } from '../fixtures/runnerTestKit.ts';
import { startTestModelServer, type TestModelServer } from '../fixtures/testModelServer.ts';
import { tempDir } from './helpers/tempDir.ts';

/** One turn: the question and its answer. */
function turn(n: number): Item[] {
  return [userItem(`question ${n}`), assistantItem(`answer ${n}`)];
}

/** A turn in which the model read a file with a tool before answering. */
function toolTurn(n: number, callId = `call_${n}`): Item[] {
  const call = modelCallItem(callId, 'read_file', JSON.stringify({ path: `src/file${n}.ts` }));
  return [userItem(`question ${n}`), call, callOutputItem(call, `contents of src/file${n}.ts`), assistantItem(`answer ${n}`)];
}

function thread(count: number): Item[] {
  return Array.from({ length: count }, (_, i) => turn(i + 1)).flat();
}

/** The text the summariser is asked to read. */
function asked(plan: CompactionPlan): string {
  assert.equal(plan.status, 'ready', JSON.stringify(plan));
  if (plan.status !== 'ready') throw new Error('unreachable');
  assert.equal(plan.request.history.length, 1, 'one user message holds the transcript');
  return contentText(plan.request.history[0]!.content);
}

const userTextsOf = (items: readonly Item[]): string[] => items.filter((item) => item.role === 'user').map((item) => contentText(item.content));

describe('planCompaction', () => {
  test('summarises every turn but the newest two, and says so in the plan', () => {
    const plan = planCompaction(thread(5));
    assert.equal(plan.status, 'ready');
    if (plan.status !== 'ready') return;
    assert.deepEqual({ turns: plan.turns, summarised: plan.summarised, kept: plan.kept }, { turns: 3, summarised: 3, kept: 2 });
    const text = asked(plan);
    for (const n of [1, 2, 3]) assert.ok(text.includes(`User: question ${n}`) && text.includes(`Assistant: answer ${n}`), text);
    for (const n of [4, 5]) assert.ok(!text.includes(`question ${n}`), `turn ${n} is kept verbatim, not summarised: ${text}`);
    assert.equal(plan.request.systemPrompt, COMPACTION_PROMPT);
    for (const words of ['decisions', 'file path', 'code identifier', 'still open', 'goals']) assert.ok(COMPACTION_PROMPT.includes(words), words);
  });

  test('keepTurns is respected: 0 summarises all, 4 of 5 leaves one to summarise', () => {
    const all = planCompaction(thread(5), 0);
    assert.ok(all.status === 'ready' && all.turns === 5 && all.kept === 0);
    assert.ok(asked(all).includes('question 5'));
    const one = planCompaction(thread(5), 4);
    assert.ok(one.status === 'ready' && one.turns === 1 && one.kept === 4);
    assert.ok(asked(one).includes('question 1') && !asked(one).includes('question 2'));
  });

  test('nothing to compact: an empty thread, too few turns, right after a compaction', () => {
    const empty = planCompaction([]);
    assert.deepEqual(empty, { status: 'nothing', reason: 'the thread has no messages yet.' });
    const two = planCompaction(thread(2));
    assert.equal(two.status, 'nothing');
    assert.match(two.status === 'nothing' ? two.reason : '', /only 2 turns are sent, and the newest 2 turns are kept/);
    const justCompacted = planCompaction([...thread(4), summaryItem({ text: 'Earlier: 1 and 2.', turns: 2, kept: 2 })]);
    assert.equal(justCompacted.status, 'nothing');
    assert.match(justCompacted.status === 'nothing' ? justCompacted.reason : '', /besides the last summary/);
  });

  test('a previous summary is folded in: the new one covers its turns and the verbatim ones after it', () => {
    const items = [...thread(5), summaryItem({ text: 'The user asked questions 1 to 3 about src/app.ts.', turns: 3, kept: 2 }), ...turn(6)];
    const plan = planCompaction(items);
    // Sent today: the summary, turns 4 and 5 (kept), turn 6. Turn 4 is now summarised too.
    assert.ok(plan.status === 'ready');
    assert.deepEqual({ turns: plan.turns, summarised: plan.summarised, kept: plan.kept }, { turns: 4, summarised: 1, kept: 2 });
    assert.deepEqual(plan.previous, { text: 'The user asked questions 1 to 3 about src/app.ts.', turns: 3, kept: 2 });
    const text = asked(plan);
    assert.ok(text.includes('<previous_summary turns="3">\nThe user asked questions 1 to 3 about src/app.ts.\n</previous_summary>'), text);
    assert.ok(text.includes('question 4'));
    for (const n of [1, 2, 3, 5, 6]) assert.ok(!text.includes(`question ${n}`), `question ${n} in: ${text}`);
    assert.ok(text.indexOf('previous_summary') < text.indexOf('question 4'), 'the older part comes first');
  });

  test('a request that would not fit the context window leaves out the oldest turns and says so', () => {
    const long = (n: number): Item[] => [userItem(`question ${n} ${'x'.repeat(4000)}`), assistantItem(`answer ${n}`)];
    const items = [1, 2, 3, 4, 5, 6].flatMap(long);
    const whole = planCompaction(items, 2);
    assert.ok(whole.status === 'ready' && whole.omitted === 0);
    // About 1,000 tokens a turn: room for two of the four summarised turns besides the instructions.
    const fitted = planCompaction(items, 2, 3000);
    assert.ok(fitted.status === 'ready');
    assert.deepEqual({ turns: fitted.turns, kept: fitted.kept, omitted: fitted.omitted }, { turns: 4, kept: 2, omitted: 2 });
    const text = asked(fitted);
    assert.ok(text.includes('question 3') && text.includes('question 4') && !text.includes('question 1') && !text.includes('question 2'), 'the newest summarised turns are the ones sent');
    assert.match(text, /2 older turns do not fit in the model's context window and are left out here/);
    // Even a window too small for one turn asks about the newest one (the server then says it is too long).
    const tiny = planCompaction(items, 2, 10);
    assert.ok(tiny.status === 'ready' && tiny.omitted === 3 && asked(tiny).includes('question 4'));
  });

  test('tool calls stay with their outputs: whole turns are summarised or kept, orphans are left out', () => {
    const orphan = modelCallItem('call_lost', 'list_files', '{}');
    const items = [...toolTurn(1), ...turn(2), ...toolTurn(3), orphan, ...toolTurn(4)];
    const plan = planCompaction(items);
    const text = asked(plan);
    assert.ok(text.includes('Tool call read_file: {\n  "path": "src/file1.ts"\n}') && text.includes('Tool output: contents of src/file1.ts'), text);
    assert.ok(!text.includes('file3') && !text.includes('file4'), 'turns 3 and 4 are kept whole');
    assert.ok(plan.status === 'ready' && plan.kept === 2);
    const stored = [...items, summaryItem({ text: 'S', turns: plan.turns, kept: plan.kept })];
    const sent = historyAfterSummary(stored);
    const calls = sent.filter((item) => item.type === 'function_call').map((item) => item.call_id);
    const outputs = sent.filter((item) => item.type === 'function_call_output').map((item) => item.call_id);
    assert.deepEqual(outputs, ['call_3', 'call_4']);
    assert.ok(['call_3', 'call_4'].every((id) => calls.includes(id)));
    // An orphan in the summarised part never reaches the transcript.
    assert.ok(!transcript([...turn(1), orphan]).includes('list_files'));
  });
});

describe('the summary item', () => {
  test('round trip: summaryItem → readSummary; other user messages are not summaries', () => {
    const summary = { text: 'Decided: use `zod`.\nOpen: the name of src/core/x.ts.', turns: 12, kept: 2 };
    const item = summaryItem(summary);
    assert.equal(item.role, 'user');
    assert.deepEqual(readSummary(item), summary);
    assert.equal(readSummary(JSON.parse(JSON.stringify(item)))?.text, summary.text);
    assert.equal(readSummary(userItem('<conversation_summary turns="1" kept="1">\nhi')), undefined);
    assert.equal(isSummaryItem(userItem('question 1')), false);
  });

  test('what is sent after a compaction: the summary, the kept turns verbatim, then what followed', () => {
    const summary = summaryItem({ text: 'Turns 1–3 in short.', turns: 3, kept: 2 });
    const stored = [...thread(5), summary, ...turn(6)];
    const sent = historyAfterSummary(stored);
    assert.deepEqual(sent[0], summary);
    assert.deepEqual(sent.slice(1), [...turn(4), ...turn(5), ...turn(6)]);
    assert.deepEqual(historyAfterSummary(thread(3)), thread(3), 'no compaction: the history as it is');
  });

  test('the panel shows it as a summary entry of its own turn, with its row id, never as a question', () => {
    const items = [...thread(3), summaryItem({ text: 'Turn 1 in short.', turns: 1, kept: 2 }), ...turn(4)];
    const rowIds = items.map((_, i) => 100 + i);
    const turns = itemsToTurns(items, rowIds);
    assert.equal(turns.length, 5);
    assert.deepEqual(turns[3], { id: 106, entries: [{ kind: 'summary', text: 'Turn 1 in short.', turns: 1, kept: 2, rowId: 106 }] });
    assert.ok(turns.every((t) => t.entries.every((entry) => entry.kind !== 'user' || !entry.text.includes('conversation_summary'))));
    assert.deepEqual(turns[4]?.entries[0], { kind: 'user', text: 'question 4', rowId: 107 });
  });
});

for (const api of WIRE_APIS) {
  describe(`compactThread over ${api}, stored in SQLite`, () => {
    let server: TestModelServer;
    let dir: ReturnType<typeof tempDir>;
    let store: SqliteHistoryStore;
    let threadId: string;
    const original = thread(4);

    before(async () => {
      server = await startTestModelServer({ deltaDelayMs: 0 });
    });
    after(() => server.close());
    beforeEach(async () => {
      server.reset();
      dir = tempDir();
      store = await SqliteHistoryStore.open(join(dir.dir, 'sessions.db'));
      threadId = (await store.createThread('workspace', 'Long thread')).id;
      await store.appendItems(threadId, original);
    });
    afterEach(async () => {
      await store.close();
      dir.remove();
    });

    const source = () => new OpenAiCompatibleSource(settingsFor(server.baseUrl, api));

    test('the model writes the summary; it is stored after the originals; Undo restores the thread, Redo brings it back', async () => {
      const summaryText = 'The user asked questions 1 and 2; the answers were 1 and 2. Nothing is open.';
      server.next({ reply: summaryText });
      const settings = settingsFor(server.baseUrl, api, { systemPrompt: 'You are a pirate.', historyLimit: 1 });
      const outcome = await compactThread(store, threadId, source(), settings);
      assert.equal(outcome.status, 'compacted', JSON.stringify(outcome));
      assert.ok(outcome.status === 'compacted' && outcome.turns === 2 && outcome.kept === 2 && outcome.summarised === 2);

      // What the model was asked: the summariser's instructions (not the chat's), turns 1 and 2 only.
      const [request] = modelRequests(server.requests);
      assert.ok(request);
      const body = JSON.stringify(request);
      assert.ok(body.includes('condense a conversation'), 'the compaction prompt is sent');
      assert.ok(!body.includes('pirate'), 'the chat system prompt is not');
      assert.ok(body.includes('question 1') && body.includes('answer 2') && !body.includes('question 3'), body);
      assert.equal(request.tools, undefined, 'no tools are offered');
      assert.equal(sentEntries(request).filter((entry) => entry.role === 'user').length, 1);

      const stored = await store.getItems(threadId);
      assert.deepEqual(stored.slice(0, original.length), original, 'the originals are kept');
      assert.equal(stored.length, original.length + 1);
      assert.deepEqual(readSummary(stored.at(-1)), { text: summaryText, turns: 2, kept: 2 });
      assert.equal((await store.lastItem(threadId))?.rowId, outcome.status === 'compacted' ? outcome.summaryRowId : -1);
      assert.deepEqual(userTextsOf(historyAfterSummary(stored).slice(1)), ['question 3', 'question 4']);

      assert.equal((await store.undoTurn(threadId)).status, 'done');
      assert.deepEqual(await store.getItems(threadId), original, 'Undo Last Turn: the thread is as it was');
      assert.equal((await store.redoTurn(threadId)).status, 'done');
      assert.deepEqual(readSummary((await store.getItems(threadId)).at(-1))?.text, summaryText, 'Redo brings the summary back');
    });

    test('a thread changed while the model wrote is refused and nothing is stored', async () => {
      const real = source();
      // Another window sends a message while the summary is written.
      const racing: ModelSource = {
        listModels: (signal) => real.listModels(signal),
        stream: async (request) => {
          await store.appendItems(threadId, [userItem('question 5')]);
          return real.stream(request);
        },
      };
      const outcome = await compactThread(store, threadId, racing, settingsFor(server.baseUrl, api));
      assert.deepEqual(outcome, { status: 'conflict' });
      const stored = await store.getItems(threadId);
      assert.deepEqual(stored, [...original, userItem('question 5')]);
      assert.ok(!stored.some(isSummaryItem));
    });

    test('a failing model, an empty answer and a cancel store nothing', async () => {
      server.next({ error: 500 });
      const failed = await compactThread(store, threadId, source(), settingsFor(server.baseUrl, api));
      assert.equal(failed.status, 'failed');
      assert.equal(failed.status === 'failed' ? failed.error.status : 0, 500);

      server.next({ reply: '  \n ' });
      assert.deepEqual(await compactThread(store, threadId, source(), settingsFor(server.baseUrl, api)), { status: 'empty' });

      server.next({ slow: true });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 200);
      assert.deepEqual(await compactThread(store, threadId, source(), settingsFor(server.baseUrl, api), { signal: controller.signal }), { status: 'stopped' });

      assert.deepEqual(await store.getItems(threadId), original);
    });

    test('too few turns: nothing to compact, and the model is not asked', async () => {
      const short = (await store.createThread('workspace', 'Short')).id;
      await store.appendItems(short, thread(2));
      const outcome = await compactThread(store, short, source(), settingsFor(server.baseUrl, api));
      assert.equal(outcome.status, 'nothing');
      assert.equal(modelRequests(server.requests).length, 0);
    });
  });
}
