import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Item } from '../../src/core/session/session.ts';
import { openDatabase } from '../../src/core/session/sqliteDriver.ts';
import { SqliteSession } from '../../src/core/session/sqliteSession.ts';
import { SqliteHistoryStore } from '../../src/core/store/sqliteHistoryStore.ts';
import { historyStoreContract, user } from './helpers/historyStoreContract.ts';
import { tempDir } from './helpers/tempDir.ts';

for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
  historyStoreContract({
    name: `SQLite on ${driver}`,
    async open() {
      const tmp = tempDir();
      const file = join(tmp.dir, 'sessions.db');
      const store = await SqliteHistoryStore.open(file, { driver });
      // Another program on the same file: the SDK-shaped session, on a connection of its own.
      const outside = (threadId: string) => new SqliteSession<Item>(threadId, file, { driver });
      return {
        store,
        async outsideAdd(threadId, items) {
          const session = outside(threadId);
          await session.addItems(items);
          session.close();
        },
        async outsideClear(threadId) {
          const session = outside(threadId);
          await session.clearSession();
          session.close();
        },
        reopen: () => SqliteHistoryStore.open(file, { driver }),
        async answerRecordCount(threadId) {
          const { db } = openDatabase(file, { driver });
          try {
            return Number(db.prepare('SELECT count(*) AS n FROM session_chat_answers WHERE session_id = ?').get(threadId)?.n);
          } finally {
            db.close();
          }
        },
        async close() {
          await store.close();
          tmp.remove();
        },
      };
    },
  });

  test(`SQLite on ${driver}: a write waiting for another process's lock leaves the thread free, then lands`, async () => {
    const tmp = tempDir();
    const file = join(tmp.dir, 'sessions.db');
    const store = await SqliteHistoryStore.open(file, { driver });
    const { db: other } = openDatabase(file, { driver });
    try {
      const thread = await store.createThread('w');
      other.exec('BEGIN IMMEDIATE');
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 10);
      const write = store.appendItems(thread.id, [user('waited')]);
      await new Promise((resolve) => setTimeout(resolve, 500));
      // A blocking busy_timeout would have frozen this thread: no ticks until the lock is gone.
      assert.ok(ticks >= 20, `the event loop kept running (${ticks} ticks in 500 ms)`);
      other.exec('COMMIT');
      await write;
      clearInterval(ticker);
      assert.equal((await store.lastItem(thread.id))?.item.content, 'waited');
    } finally {
      other.close();
      await store.close();
      tmp.remove();
    }
  });
}
