import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { MemorySession } from '../../src/core/session/memorySession.ts';
import { SqliteSession } from '../../src/core/session/sqliteSession.ts';
import { openDatabase } from '../../src/core/session/sqliteDriver.ts';
import type { DriverName } from '../../src/core/session/sqliteDriver.ts';
import { ThreadStore } from '../../src/core/threads/threadStore.ts';
import { sessionContract } from './helpers/sessionContract.ts';
import type { ContractFixture } from './helpers/sessionContract.ts';
import { tempDir } from './helpers/tempDir.ts';
import type { Item } from '../../src/core/session/session.ts';

const DRIVERS: DriverName[] = ['better-sqlite3', 'node:sqlite'];

/** Raw SQL on the file through its own connection, as another process would see it. */
function rawOn(file: string, driver: DriverName): NonNullable<ContractFixture['raw']> {
  return (sql, ...params) => {
    const { db } = openDatabase(file, { driver });
    try {
      db.prepare(sql).run(...params);
    } finally {
      db.close();
    }
  };
}

sessionContract({
  name: 'MemorySession',
  sqlite: false,
  open: () => ({ sessions: [new MemorySession('alpha'), new MemorySession('beta')], close: () => {} }),
});

for (const driver of DRIVERS) {
  sessionContract({
    name: `SqliteSession on ${driver}`,
    sqlite: true,
    open() {
      const tmp = tempDir();
      const file = join(tmp.dir, 'conversations.db');
      const a = new SqliteSession('alpha', file, { driver });
      const b = new SqliteSession('beta', file, { driver });
      return {
        sessions: [a, b],
        raw: rawOn(file, driver),
        close() {
          a.close();
          b.close();
          tmp.remove();
        },
      };
    },
  });

  sessionContract({
    name: `ThreadStore.session on ${driver}`,
    sqlite: true,
    open() {
      const tmp = tempDir();
      const file = join(tmp.dir, 'sessions.db');
      const store = ThreadStore.open(file, { driver });
      return {
        sessions: [store.session('alpha'), store.session('beta')],
        raw: rawOn(file, driver),
        close() {
          store.close();
          tmp.remove();
        },
      };
    },
  });
}

/** Rows another writer may have left: not JSON, or JSON that is not an object. */
const CORRUPT_ROWS = ['{"role": "assistant", "content": "trunc', '[1, 2]', '42', 'null', '"text"', ''];

for (const driver of DRIVERS) {
  test(`SqliteSession on ${driver}: a limited read pages past corrupt rows and still returns that many items`, async () => {
    const tmp = tempDir();
    const file = join(tmp.dir, 'corrupt.db');
    const session = new SqliteSession('alpha', file, { driver });
    const raw = rawOn(file, driver);
    try {
      const valid: Item[] = [];
      for (let i = 0; i < 20; i++) {
        const item = { type: 'message', role: i % 2 === 0 ? 'user' : 'assistant', content: `m${i}` };
        valid.push(item);
        await session.addItems([item]);
        // Corrupt rows among the newest ones, more than a small page holds.
        if (i >= 12) raw('INSERT INTO agent_messages (session_id, message_data) VALUES (?, ?)', 'alpha', CORRUPT_ROWS[i % CORRUPT_ROWS.length]!);
      }
      assert.deepEqual(await session.getItems(), valid);
      for (const limit of [1, 3, 8, 10, 19, 20]) assert.deepEqual(await session.getItems(limit), valid.slice(-limit), `limit ${limit}`);
      assert.deepEqual(await session.getItems(100), valid);
    } finally {
      session.close();
      tmp.remove();
    }
  });
}
