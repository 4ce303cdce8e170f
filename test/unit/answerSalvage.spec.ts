import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Item } from '../../src/core/session/session.ts';
import { openDatabase } from '../../src/core/session/sqliteDriver.ts';
import { SqliteHistoryStore } from '../../src/core/store/sqliteHistoryStore.ts';
import type { AnswerRecord } from '../../src/core/store/historyStore.ts';
import { salvageInto } from '../../src/core/store/salvage.ts';
import { tempDir } from './helpers/tempDir.ts';

const user = (text: string): Item => ({ type: 'message', role: 'user', content: text });
const assistant = (text: string): Item => ({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text }] });
const record = (inputTokens: number): AnswerRecord => ({ model: 'm', usage: { inputTokens, outputTokens: 10, cachedTokens: 0, estimated: false, requests: 1 } });

// A damaged file's answer records are salvaged with its messages: the thread's usage is what it was,
// an undone answer still comes back with Redo, and a record whose row was lost does not count.
test('salvage keeps answer records and sums them again from what was saved', async () => {
  const tmp = tempDir();
  try {
    const damaged = join(tmp.dir, 'damaged.db');
    const store = await SqliteHistoryStore.open(damaged, { switchWorkerPath: false });
    const t = await store.createThread('w');
    for (const [i, tokens] of [100, 200, 400].entries()) {
      const question = await store.appendItems(t.id, [user(`q${i}`)]);
      await store.applyTransaction({ operationId: `a${i}`, threadId: t.id, expectedLastRowId: question, replacement: [assistant(`a${i}`)], answer: record(tokens) });
    }
    await store.undoTurn(t.id);
    await store.close();
    // Damage that lost one answer's row: the first turn's.
    const { db } = openDatabase(damaged, {});
    const firstAnswer = Number(db.prepare("SELECT min(row_id) AS id FROM session_chat_answers").get()?.id);
    db.prepare('DELETE FROM agent_messages WHERE id = ?').run(firstAnswer);
    db.close();

    const fresh = join(tmp.dir, 'sessions.db');
    salvageInto(damaged, fresh);
    const saved = await SqliteHistoryStore.open(fresh, { switchWorkerPath: false });
    try {
      assert.equal((await saved.readView(t.id, 10)).usage?.inputTokens, 200, 'the lost row no longer counts; the undone one waits');
      assert.equal((await saved.redoTurn(t.id)).status, 'done');
      const view = await saved.readView(t.id, 10);
      assert.deepEqual(view.usage, { answers: 2, inputTokens: 600, outputTokens: 20, cachedTokens: 0, estimated: false, requests: 2 });
      assert.equal(view.page.answers?.size, 2);
    } finally {
      await saved.close();
    }
  } finally {
    tmp.remove();
  }
});
