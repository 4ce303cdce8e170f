import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { answerReserve, itemsTokens, TOKENS_PER_MESSAGE } from '../../src/core/context/contextBudget.ts';
import { HistoryReader, sendWindow } from '../../src/core/context/sendWindow.ts';
import { summaryItem } from '../../src/core/context/summaryItem.ts';
import { assistantItem, callOutputItem, modelCallItem, userItem } from '../../src/core/model/items.ts';
import type { Item } from '../../src/core/session/session.ts';
import { SqliteHistoryStore } from '../../src/core/store/sqliteHistoryStore.ts';
import { tempDir } from './helpers/tempDir.ts';

/** A turn of 4 items as a tool-using chat stores it: question, call, output, answer (~1 KB). */
function toolTurn(index: number): Item[] {
  const call = modelCallItem(`call_${index}`, 'read_file', JSON.stringify({ path: `src/file${index}.ts` }));
  return [userItem(`Question ${index}: ${'q'.repeat(200)}`), call, callOutputItem(call, 'o'.repeat(500)), assistantItem(`Answer ${index}: ${'a'.repeat(200)}`)];
}

describe('what a request sends of a stored thread', () => {
  const tmp = tempDir();
  let store: SqliteHistoryStore;
  let big: string;
  const bigTurns: Item[][] = [];

  before(async () => {
    store = await SqliteHistoryStore.open(join(tmp.dir, 'sessions.db'));
    big = (await store.createThread('w', 'big')).id;
    for (let index = 0; index < 5000; index++) bigTurns.push(toolTurn(index));
    await store.appendItems(big, bigTurns.flat());
    await store.appendItems(big, [userItem('The newest question')]);
  });
  after(async () => {
    await store.close();
    tmp.remove();
  });

  const reader = (threadId: string, options = { historyLimit: 0, trim: true }) => new HistoryReader((limit) => store.getItems(threadId, limit), options);

  test('the meter counts a known history exactly: its items, plus what else the request sends', async () => {
    const thread = (await store.createThread('w', 'known')).id;
    const history = [userItem('a'.repeat(400)), assistantItem('b'.repeat(800)), userItem('c'.repeat(40))];
    await store.appendItems(thread, history);
    const read = reader(thread);
    const sent = await sendWindow(read, await read.first(), { window: 10_000, fixedTokens: 123, trim: true });
    assert.equal(sent.used, 100 + 200 + 10 + 3 * TOKENS_PER_MESSAGE + 123);
    assert.equal(sent.used, itemsTokens(history) + 123);
    assert.deepEqual(sent.items, history);
    assert.equal(sent.trimmedTurns, 0);
    assert.equal(sent.level, 'ok');
  });

  test('a 5,000-turn thread (20,001 items) sends what fits and reads little more than that', async () => {
    const read = reader(big);
    const window = 32_000;
    const sent = await sendWindow(read, await read.first(), { window, fixedTokens: 500, trim: true });
    // The newest turns that fit, counted by hand from the newest back.
    let room = window - answerReserve(window) - 500 - itemsTokens([userItem('The newest question')]);
    let fits = 0;
    for (let index = bigTurns.length - 1; index >= 0 && itemsTokens(bigTurns[index]!) <= room; index--, fits++) room -= itemsTokens(bigTurns[index]!);
    assert.equal(sent.items.length, 1 + fits * 4, `${sent.items.length} items sent`);
    assert.ok(fits > 50 && fits < 200, `${fits} turns fit`);
    assert.deepEqual(sent.items.at(-1), userItem('The newest question'));
    assert.equal(sent.items[0]!.role, 'user', 'it starts with a whole turn');
    assert.ok(sent.used <= window - answerReserve(window));
    assert.equal(sent.level, 'near');
    assert.equal(sent.trimmedAtLeast, true);
    // Slices of 64, 256 and 1,024 newest items: the third is the first with a turn that does not fit.
    assert.equal(read.itemsRead, 64 + 256 + 1024, `${read.itemsRead} items read of 20,001`);
  });

  test('with trimming off the whole thread is read and sent, and the meter says it is over', async () => {
    const read = reader(big, { historyLimit: 0, trim: false });
    const sent = await sendWindow(read, await read.first(), { window: 128_000, fixedTokens: 0, trim: false });
    assert.equal(sent.items.length, 20_001);
    assert.equal(sent.level, 'over');
    assert.equal(sent.trimmedTurns, 0);
  });

  test('sessionChat.historyLimit reads exactly that many items before the question, then trims them to the window', async () => {
    const read = reader(big, { historyLimit: 8, trim: true });
    const items = await read.first();
    assert.equal(items.length, 9);
    const sent = await sendWindow(read, items, { window: 128_000, fixedTokens: 0, trim: true });
    // The first of the 9 items is the tail of a turn (its answer): kept, as the SDK's limit keeps it.
    assert.equal(sent.items.length, 9);
  });

  test('after a compaction, the summary and the turns it keeps are sent; nothing older is read', async () => {
    const thread = (await store.createThread('w', 'compacted')).id;
    const turns = Array.from({ length: 300 }, (_, index) => toolTurn(index));
    await store.appendItems(thread, turns.flat());
    const summary = summaryItem({ text: 'We read 298 files.', turns: 298, kept: 2 });
    await store.appendItems(thread, [summary, userItem('Go on')]);
    const read = reader(thread);
    const sent = await sendWindow(read, await read.first(), { window: 200_000, fixedTokens: 0, trim: true });
    assert.deepEqual(sent.items, [summary, ...turns[298]!, ...turns[299]!, userItem('Go on')]);
    assert.equal(read.itemsRead, 64, 'one read of 64 items reached the summary');
    assert.equal(sent.trimmedTurns, 0);
  });
});
