import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { SqliteSession } from '../../src/core/session/sqliteSession.ts';
import { SqliteHistoryStore } from '../../src/core/store/sqliteHistoryStore.ts';
import { ThreadStore } from '../../src/core/threads/threadStore.ts';
import { tempDir } from './helpers/tempDir.ts';

const PACKAGE_JSON = new URL('../../package.json', import.meta.url).href;

/**
 * From another process, asks for an exclusive lock on the database file itself. In WAL mode every
 * open connection holds a shared lock on that file for as long as it is open, so this must fail
 * with SQLITE_BUSY while any connection of ours is open. When it succeeds, the other process
 * believes it is alone: on close it checkpoints and deletes the WAL under our connections' feet
 * (the way a committed write was lost). `locking_mode = EXCLUSIVE` comes before the first read, so
 * the request is for the file lock alone, not for the WAL's shared-memory locks.
 */
function exclusiveFromAnotherProcess(file: string, driver: string): 'busy' | 'exclusive' {
  const script = `
    const [file, driver, packageJson] = process.argv.slice(1);
    const { createRequire } = await import('node:module');
    const db = driver === 'node:sqlite'
      ? new (process.getBuiltinModule('node:sqlite').DatabaseSync)(file)
      : new (createRequire(packageJson)('better-sqlite3'))(file);
    try {
      db.exec('PRAGMA busy_timeout = 0');
      db.exec('PRAGMA locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      db.exec('COMMIT');
      console.log('exclusive');
    } catch (err) {
      console.log(err.code === 'SQLITE_BUSY' || (err.errcode & 0xff) === 5 ? 'busy' : 'error: ' + err.message);
    } finally {
      db.close();
    }`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script, file, driver, PACKAGE_JSON], { encoding: 'utf8' }).trim();
  assert.ok(out === 'busy' || out === 'exclusive', out);
  return out;
}

describe('opening the store never drops the locks other connections of this process hold', () => {
  for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
    test(`a SqliteSession open beside ThreadStore.open and SqliteHistoryStore.open keeps its lock (${driver})`, async () => {
      const tmp = tempDir();
      try {
        const file = join(tmp.dir, 'sessions.db');
        ThreadStore.open(file, { driver }).close();
        const session = new SqliteSession('script', file, { driver });
        try {
          await session.addItems([{ role: 'user', content: 'from a script in this process' }]);
          assert.equal(exclusiveFromAnotherProcess(file, driver), 'busy', 'the session holds its lock to begin with');

          const store = ThreadStore.open(file, { driver });
          assert.equal(exclusiveFromAnotherProcess(file, driver), 'busy', 'still held after ThreadStore.open');
          store.close();
          assert.equal(exclusiveFromAnotherProcess(file, driver), 'busy', 'still held after the store closed');

          const history = await SqliteHistoryStore.open(file, { driver });
          assert.equal(exclusiveFromAnotherProcess(file, driver), 'busy', 'still held after SqliteHistoryStore.open');
          await history.close();
          assert.equal(exclusiveFromAnotherProcess(file, driver), 'busy', 'still held after it closed');
          assert.deepEqual(await session.getItems(), [{ role: 'user', content: 'from a script in this process' }]);
        } finally {
          session.close();
        }
        assert.equal(exclusiveFromAnotherProcess(file, driver), 'exclusive', 'with nothing open the probe gets its lock');
      } finally {
        tmp.remove();
      }
    });

  }
});
