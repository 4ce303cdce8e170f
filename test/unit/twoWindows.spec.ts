import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Item } from '../../src/core/session/session.ts';
import { SqliteHistoryStore } from '../../src/core/store/sqliteHistoryStore.ts';
import { tempDir } from './helpers/tempDir.ts';

const question = (text: string): Item => ({ type: 'message', role: 'user', content: text });
const answer = (text: string): Item => ({ type: 'message', role: 'assistant', content: `answer to ${text}` });

/**
 * Two windows (two connections) ask in one thread at once, as the host does: each stores its
 * question, and stores its answer later as a transaction expecting its own question's row to be
 * the newest. Whatever the interleaving, no answer lands under the other window's question and no
 * question gets two answers (before, the answer was bound to whichever user row was newest when
 * the answer arrived: 269 of 717 answers landed under the other window's question).
 */
test('two windows asking in one thread at once: every stored answer follows its own question', async () => {
  const tmp = tempDir();
  const file = join(tmp.dir, 'sessions.db');
  const a = await SqliteHistoryStore.open(file);
  const b = await SqliteHistoryStore.open(file);
  try {
    const thread = await a.createThread('w');
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pending: { store: SqliteHistoryStore; text: string; row: number }[] = [];
    let conflicts = 0;
    for (let round = 0; round < 300; round++) {
      const store = random() < 0.5 ? a : b;
      if (pending.length > 0 && random() < 0.5) {
        const [turn] = pending.splice(Math.floor(random() * pending.length), 1);
        const result = await turn!.store.applyTransaction({ operationId: `op-${turn!.text}`, threadId: thread.id, expectedLastRowId: turn!.row, replacement: [answer(turn!.text)] });
        if (result.status === 'conflict') conflicts++;
      } else {
        const text = `q${round}`;
        pending.push({ store, text, row: await store.appendItems(thread.id, [question(text)]) });
      }
    }
    const items = await a.getItems(thread.id);
    const answered = new Map<string, number>();
    items.forEach((item, index) => {
      if (item.role !== 'assistant') return;
      const asked = items[index - 1]!;
      assert.equal(item.content, `answer to ${String(asked.content)}`, `answer at ${index} follows its own question`);
      answered.set(String(asked.content), (answered.get(String(asked.content)) ?? 0) + 1);
    });
    assert.ok([...answered.values()].every((count) => count === 1), 'no question has two answers');
    assert.ok(answered.size > 10 && conflicts > 10, `the windows really interleaved (${answered.size} stored, ${conflicts} refused)`);
  } finally {
    await a.close();
    await b.close();
    tmp.remove();
  }
});
