import { join } from 'node:path';
import { MemorySession } from '../../src/core/session/memorySession.ts';
import { SqliteSession } from '../../src/core/session/sqliteSession.ts';
import { openDatabase } from '../../src/core/session/sqliteDriver.ts';
import type { DriverName } from '../../src/core/session/sqliteDriver.ts';
import { ThreadStore } from '../../src/core/threads/threadStore.ts';
import { sessionContract } from './helpers/sessionContract.ts';
import type { ContractFixture } from './helpers/sessionContract.ts';
import { tempDir } from './helpers/tempDir.ts';

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
