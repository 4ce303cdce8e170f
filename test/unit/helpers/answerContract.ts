import assert from 'node:assert/strict';
import type { Item } from '../../../src/core/session/session.ts';
import type { AnswerRecord, HistoryStore, ThreadUsage } from '../../../src/core/store/historyStore.ts';
import type { TokenUsage } from '../../../src/core/model/usage.ts';
import { storeCase, type StoreTarget } from './historyStoreContract.ts';

const user = (text: string): Item => ({ type: 'message', role: 'user', content: text });
const assistant = (text: string): Item => ({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] });
const call = (id: string): Item => ({ type: 'function_call', call_id: id, name: 'read_file', arguments: '{}' });
const output = (id: string): Item => ({ type: 'function_call_output', call_id: id, output: 'contents' });

const usage = (inputTokens: number, outputTokens: number, extra: Partial<TokenUsage> = {}): TokenUsage => ({
  inputTokens, outputTokens, cachedTokens: 0, estimated: false, requests: 1, ...extra,
});

const billing: AnswerRecord = { agent: 'billing', model: 'gpt-test', source: 'openai-compatible', usage: usage(1200, 300, { cachedTokens: 1000, requests: 2 }) };
const support: AnswerRecord = { model: 'copilot-test', source: 'vscode', usage: usage(800, 50, { estimated: true }) };

let operations = 0;

/**
 * One turn as the host stores it: the question appended, then the answer's items in one history
 * transaction on top of it, with its record. Returns the turn id (the question's row id).
 */
async function answeredTurn(store: HistoryStore, threadId: string, question: string, answerItems: Item[], answer?: AnswerRecord): Promise<number> {
  const questionRowId = await store.appendItems(threadId, [user(question)]);
  const result = await store.applyTransaction({
    operationId: `answer-${++operations}`,
    threadId,
    expectedLastRowId: questionRowId,
    replacement: answerItems,
    ...(answer ? { answer } : {}),
  });
  assert.equal(result.status, 'applied');
  return questionRowId;
}

/** The answer records a page shows, as [turn id, record] pairs oldest first. */
async function pageAnswers(store: HistoryStore, threadId: string, pageSize = 50): Promise<[number, AnswerRecord][]> {
  return [...((await store.readView(threadId, pageSize)).page.answers ?? new Map<number, AnswerRecord>())].sort((a, b) => a[0] - b[0]);
}

async function usageOf(store: HistoryStore, threadId: string): Promise<ThreadUsage | undefined> {
  return (await store.readView(threadId, 1)).usage;
}

async function turnIds(store: HistoryStore, threadId: string): Promise<number[]> {
  const view = await store.readView(threadId, 50);
  return view.page.items.filter(({ item }) => item.role === 'user').map(({ rowId }) => rowId);
}

const both: ThreadUsage = { answers: 2, inputTokens: 2000, outputTokens: 350, cachedTokens: 1000, estimated: true, requests: 3 };
const justBilling: ThreadUsage = { answers: 1, ...billing.usage! };

/**
 * Answer records (HistoryTransaction.answer, ItemPage.answers, ThreadView.usage), part of the
 * history store contract: stored with the answer, shown on its turn, summed per thread, and
 * following the answer's rows through Undo/Redo, Clear and its undo, and version switches.
 */
export function answerContract(target: StoreTarget): void {
  const run = storeCase(target);

  run('answers: a record shows on its turn and in the thread sum (summed, estimated or-ed, agent and model kept)', async ({ store }) => {
    const t = await store.createThread('w');
    const first = await answeredTurn(store, t.id, 'q0', [call('c1'), output('c1'), assistant('a0')], billing);
    const second = await answeredTurn(store, t.id, 'q1', [assistant('a1')], support);
    assert.deepEqual(await pageAnswers(store, t.id), [[first, billing], [second, support]]);
    assert.deepEqual(await usageOf(store, t.id), both);
    // A page of the newest turn carries that turn's record only.
    assert.deepEqual([...((await store.readView(t.id, 1)).page.answers ?? [])], [[second, support]]);
  });

  run('answers: a transaction without a record records nothing; a record without usage counts as an answer', async ({ store }) => {
    const t = await store.createThread('w');
    await answeredTurn(store, t.id, 'q0', [assistant('a0')]);
    const view = await store.readView(t.id, 10);
    assert.equal(view.page.answers?.size ?? 0, 0);
    assert.equal(view.usage, undefined);
    const bare = await answeredTurn(store, t.id, 'q1', [assistant('a1')], { model: 'm' });
    assert.deepEqual(await pageAnswers(store, t.id), [[bare, { model: 'm' }]]);
    assert.deepEqual(await usageOf(store, t.id), { answers: 1, inputTokens: 0, outputTokens: 0, cachedTokens: 0, estimated: false, requests: 0 });
  });

  run('answers: a repeated operation id records once', async ({ store }) => {
    const t = await store.createThread('w');
    const question = await store.appendItems(t.id, [user('q0')]);
    const change = { operationId: 'answer-once', threadId: t.id, expectedLastRowId: question, replacement: [assistant('a0')], answer: billing };
    assert.equal((await store.applyTransaction(change)).status, 'applied');
    assert.equal((await store.applyTransaction(change)).status, 'duplicate');
    assert.deepEqual(await usageOf(store, t.id), justBilling);
    assert.deepEqual(await pageAnswers(store, t.id), [[question, billing]]);
  });

  run('answers: Undo takes the turn out of the sum and the page; Redo brings it back on the redone turn', async ({ store }) => {
    const t = await store.createThread('w');
    const first = await answeredTurn(store, t.id, 'q0', [assistant('a0')], billing);
    await answeredTurn(store, t.id, 'q1', [call('c1'), output('c1'), assistant('a1')], support);
    assert.equal((await store.undoTurn(t.id)).status, 'done');
    assert.deepEqual(await usageOf(store, t.id), justBilling);
    assert.deepEqual(await pageAnswers(store, t.id), [[first, billing]]);
    assert.equal((await store.undoTurn(t.id)).status, 'done');
    assert.equal(await usageOf(store, t.id), undefined);
    assert.equal((await store.readView(t.id, 10)).page.answers?.size ?? 0, 0);
    assert.equal((await store.redoTurn(t.id)).status, 'done');
    assert.equal((await store.redoTurn(t.id)).status, 'done');
    const [redoneFirst, redoneSecond] = await turnIds(store, t.id);
    assert.notEqual(redoneSecond, undefined);
    assert.ok(redoneFirst! > first, 'the redone turns have new row ids');
    assert.deepEqual(await pageAnswers(store, t.id), [[redoneFirst, billing], [redoneSecond, support]]);
    assert.deepEqual(await usageOf(store, t.id), both);
  });

  run('answers: Clear empties the sum; its undo brings every record back', async ({ store }) => {
    const t = await store.createThread('w');
    await answeredTurn(store, t.id, 'q0', [assistant('a0')], billing);
    await answeredTurn(store, t.id, 'q1', [assistant('a1')], support);
    await store.clearThread(t.id);
    assert.equal(await usageOf(store, t.id), undefined);
    assert.equal((await store.undoClear(t.id)).status, 'done');
    const [q0, q1] = await turnIds(store, t.id);
    assert.deepEqual(await pageAnswers(store, t.id), [[q0, billing], [q1, support]]);
    assert.deepEqual(await usageOf(store, t.id), both);
    // Undo after a Clear (the command's path) does the same.
    await store.clearThread(t.id);
    assert.equal((await store.undoTurn(t.id)).status, 'done');
    assert.deepEqual(await usageOf(store, t.id), both);
  });

  run('answers: a regenerated answer has its own record; switching versions shows each version\'s record', async ({ store }) => {
    const t = await store.createThread('w');
    const kept = await answeredTurn(store, t.id, 'q0', [assistant('a0')], support);
    const original = await answeredTurn(store, t.id, 'q1', [assistant('first answer')], billing);
    const last = (await store.readView(t.id, 1)).lastRowId;
    const again = await store.regenerate(t.id, original, last);
    assert.equal(again.status, 'done');
    if (again.status !== 'done') return;
    const retried: AnswerRecord = { agent: 'support', model: 'other-model', source: 'vscode', usage: usage(900, 40) };
    const answered = await store.applyTransaction({ operationId: 'regenerated', threadId: t.id, expectedLastRowId: again.lastRowId, replacement: [assistant('second answer')], answer: retried });
    assert.equal(answered.status, 'applied');
    assert.deepEqual(await pageAnswers(store, t.id), [[kept, support], [again.questionRowId, retried]]);
    assert.deepEqual(await usageOf(store, t.id), { answers: 2, inputTokens: 1700, outputTokens: 90, cachedTokens: 0, estimated: true, requests: 2 });
    const back = await store.switchVersion(t.id, again.questionRowId, 'previous', answered.lastRowId);
    assert.equal(back.status, 'done');
    if (back.status !== 'done') return;
    assert.deepEqual(await pageAnswers(store, t.id), [[kept, support], [back.turnId, billing]]);
    assert.deepEqual(await usageOf(store, t.id), both);
    const forth = await store.switchVersion(t.id, back.turnId, 'next', back.lastRowId);
    assert.equal(forth.status, 'done');
    if (forth.status !== 'done') return;
    assert.deepEqual(await pageAnswers(store, t.id), [[kept, support], [forth.turnId, retried]]);
  });

  run('answers: an edited turn answered anew keeps the old answer\'s record with the old version', async ({ store }) => {
    const t = await store.createThread('w');
    const q0 = await answeredTurn(store, t.id, 'q0', [assistant('a0')], billing);
    const edited = await store.editQuestion(t.id, q0, 'q0 edited', (await store.readView(t.id, 1)).lastRowId);
    assert.equal(edited.status, 'done');
    if (edited.status !== 'done') return;
    assert.equal(await usageOf(store, t.id), undefined, 'the new version has no answer yet');
    const answered = await store.applyTransaction({ operationId: 'edited-answer', threadId: t.id, expectedLastRowId: edited.lastRowId, replacement: [assistant('a0 again')], answer: support });
    assert.deepEqual(await pageAnswers(store, t.id), [[edited.questionRowId, support]]);
    const back = await store.switchVersion(t.id, edited.questionRowId, 0, answered.lastRowId);
    assert.equal(back.status, 'done');
    if (back.status !== 'done') return;
    assert.deepEqual(await pageAnswers(store, t.id), [[back.turnId, billing]]);
    assert.deepEqual(await usageOf(store, t.id), justBilling);
  });

  run('answers: older pages carry their turns\' records', async ({ store }) => {
    const t = await store.createThread('w');
    const records: AnswerRecord[] = [];
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const record: AnswerRecord = { model: `m${i}`, usage: usage(100 * (i + 1), 10) };
      records.push(record);
      ids.push(await answeredTurn(store, t.id, `q${i}`, [call(`c${i}`), output(`c${i}`), assistant(`a${i}`)], record));
    }
    const view = await store.readView(t.id, 2);
    assert.deepEqual([...(view.page.answers ?? [])].sort((a, b) => a[0] - b[0]), [[ids[3], records[3]], [ids[4], records[4]]]);
    assert.equal(view.usage?.answers, 5);
    assert.equal(view.usage?.inputTokens, 1500);
    const older = await store.pageBefore(t.id, view.page.items[0]!.rowId, 2);
    assert.deepEqual([...(older.answers ?? [])].sort((a, b) => a[0] - b[0]), [[ids[1], records[1]], [ids[2], records[2]]]);
    assert.equal(older.olderId, ids[0]);
    const oldest = await store.pageBefore(t.id, older.items[0]!.rowId, 2);
    assert.deepEqual([...(oldest.answers ?? [])], [[ids[0], records[0]]]);
  });

  run('answers: deleting a thread deletes its records; a fork copies the records of what it copies', async ({ store, answerRecordCount }) => {
    const t = await store.createThread('w');
    const q0 = await answeredTurn(store, t.id, 'q0', [assistant('a0')], billing);
    await answeredTurn(store, t.id, 'q1', [assistant('a1')], support);
    const fork = await store.forkThread(t.id, q0);
    const [forked] = await turnIds(store, fork.id);
    assert.deepEqual(await pageAnswers(store, fork.id), [[forked, billing]]);
    assert.deepEqual(await usageOf(store, fork.id), justBilling);
    await store.deleteThread(t.id);
    assert.equal(await usageOf(store, t.id), undefined);
    if (answerRecordCount) assert.equal(await answerRecordCount(t.id), 0);
    assert.deepEqual(await usageOf(store, fork.id), justBilling, 'the fork keeps its own');
  });

  run('answers: an answer replaced by a later transaction stops counting', async ({ store }) => {
    const t = await store.createThread('w');
    const q0 = await answeredTurn(store, t.id, 'q0', [assistant('a0')], billing);
    const last = (await store.readView(t.id, 1)).lastRowId;
    const replaced = await store.applyTransaction({ operationId: 'replace', threadId: t.id, expectedLastRowId: last, replaceFromRowId: last, replacement: [assistant('a0 redone')], answer: support });
    assert.equal(replaced.status, 'applied');
    assert.deepEqual(await pageAnswers(store, t.id), [[q0, support]]);
    assert.deepEqual(await usageOf(store, t.id), { answers: 1, ...support.usage! });
  });

  run('answers: the SDK session\'s pop of an answer takes its record; its clear takes them all', async ({ store }) => {
    const t = await store.createThread('w');
    const q0 = await answeredTurn(store, t.id, 'q0', [assistant('a0')], billing);
    await answeredTurn(store, t.id, 'q1', [assistant('a1')], support);
    const session = store.session(t.id);
    await session.popItem();
    assert.deepEqual(await usageOf(store, t.id), justBilling);
    assert.deepEqual(await pageAnswers(store, t.id), [[q0, billing]]);
    // The same text written again and put back by the undo of a Clear finds no record waiting for it.
    await store.appendItems(t.id, [assistant('a1')]);
    await store.clearThread(t.id);
    assert.equal((await store.undoClear(t.id)).status, 'done');
    assert.deepEqual(await usageOf(store, t.id), justBilling, 'the popped answer\'s record is gone for good');
    await session.clearSession();
    assert.equal(await usageOf(store, t.id), undefined);
    assert.equal((await store.readView(t.id, 10)).page.answers, undefined);
  });

  run('answers: rows another program deleted do not count; the next answer sums the thread again', async ({ store, outsideClear }) => {
    const t = await store.createThread('w');
    await answeredTurn(store, t.id, 'q0', [assistant('a0')], billing);
    await outsideClear(t.id);
    assert.equal(await usageOf(store, t.id), undefined);
    const q1 = await answeredTurn(store, t.id, 'q1', [assistant('a1')], support);
    assert.deepEqual(await usageOf(store, t.id), { answers: 1, ...support.usage! });
    assert.deepEqual(await pageAnswers(store, t.id), [[q1, support]]);
  });
}
