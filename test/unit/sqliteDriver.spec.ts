import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { BUSY_TIMEOUT_MS, dataVersion, openDatabase } from '../../src/core/session/sqliteDriver.ts';
import type { Database, DriverName, SqlValue } from '../../src/core/session/sqliteDriver.ts';
import { tempDir } from './helpers/tempDir.ts';

const DRIVERS: DriverName[] = ['better-sqlite3', 'node:sqlite'];

/** A child row whose parent is checked only at COMMIT: a way to make COMMIT itself fail. */
const DEFERRED_FK_SCHEMA = `
  CREATE TABLE parent (id INTEGER PRIMARY KEY);
  CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL
    REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);`;

function withDb(driver: DriverName, fn: (db: Database, file: string) => void): void {
  const tmp = tempDir();
  const file = join(tmp.dir, 'driver.db');
  const { db } = openDatabase(file, { driver });
  try {
    fn(db, file);
  } finally {
    db.close();
    tmp.remove();
  }
}

function count(db: Database, table: string): number {
  return Number(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()!.n);
}

function busyTimeout(db: Database): number {
  return Number(db.prepare('PRAGMA busy_timeout').get()!.timeout);
}

for (const driver of DRIVERS) {
  describe(`sqliteDriver on ${driver}`, () => {
    test('a failed COMMIT leaves the connection able to write again', () => {
      withDb(driver, (db) => {
        db.exec(DEFERRED_FK_SCHEMA);
        const insertChild = db.prepare('INSERT INTO child (parent_id) VALUES (?)');
        assert.throws(() => db.transaction(() => insertChild.run(404)), /FOREIGN KEY/);
        assert.equal(count(db, 'child'), 0, 'the failed transaction left nothing behind');

        // Before the fix the nesting depth ended at -1 here and this write ran `SAVEPOINT s-1`.
        db.transaction(() => {
          db.prepare('INSERT INTO parent (id) VALUES (?)').run(1);
          insertChild.run(1);
        });
        assert.equal(count(db, 'child'), 1);
        // Nested transactions still pair up: an inner failure rolls back the inner part only.
        db.transaction(() => {
          insertChild.run(1);
          assert.throws(() => db.transaction(() => {
            insertChild.run(1);
            throw new Error('inner');
          }), /inner/);
        });
        assert.equal(count(db, 'child'), 2);
      });
    });

    test('a failed COMMIT inside a nested call rolls back the whole transaction once', () => {
      withDb(driver, (db) => {
        db.exec(DEFERRED_FK_SCHEMA);
        const insertChild = db.prepare('INSERT INTO child (parent_id) VALUES (?)');
        // The violation is made in a savepoint (RELEASE does not check it); the outer COMMIT fails.
        assert.throws(() => db.transaction(() => db.transaction(() => insertChild.run(404))), /FOREIGN KEY/);
        assert.equal(count(db, 'child'), 0);
        db.transaction(() => db.prepare('INSERT INTO parent (id) VALUES (?)').run(7));
        assert.equal(count(db, 'parent'), 1);
      });
    });

    test('busy_timeout is the default unless busyTimeoutMs says otherwise', () => {
      const tmp = tempDir();
      try {
        const file = join(tmp.dir, 'busy.db');
        for (const [busyTimeoutMs, expected] of [[undefined, BUSY_TIMEOUT_MS], [0, 0], [2500, 2500]] as const) {
          const { db } = openDatabase(file, busyTimeoutMs === undefined ? { driver } : { driver, busyTimeoutMs });
          try {
            assert.equal(busyTimeout(db), expected);
          } finally {
            db.close();
          }
        }
        for (const bad of [-1, 1.5, Number.NaN]) {
          assert.throws(() => openDatabase(file, { driver, busyTimeoutMs: bad }), RangeError);
        }
      } finally {
        tmp.remove();
      }
    });

    test('dataVersion changes when another connection commits, not for our own commits', () => {
      withDb(driver, (db, file) => {
        db.exec('CREATE TABLE t (v TEXT)');
        const other = openDatabase(file, { driver }).db;
        try {
          const before = dataVersion(db);
          db.transaction(() => db.prepare('INSERT INTO t (v) VALUES (?)').run('ours'));
          assert.equal(dataVersion(db), before);
          other.transaction(() => other.prepare('INSERT INTO t (v) VALUES (?)').run('theirs'));
          const after = dataVersion(db);
          assert.notEqual(after, before);
          assert.equal(dataVersion(db), after, 'unchanged while nobody writes');
        } finally {
          other.close();
        }
      });
    });

    test('prepareColumn reads the first column of each row as a plain value', () => {
      withDb(driver, (db) => {
        readsColumns(db);
      });
    });
  });
}

function readsColumns(db: Database): void {
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, w TEXT)');
  const insert = db.prepare('INSERT INTO t (v, w) VALUES (?, ?)');
  for (const v of ['{"a":1}', 'not json', '[1]']) insert.run(v, 'other');
  const values = db.prepareColumn('SELECT v, w FROM t WHERE id >= ? ORDER BY id DESC');
  assert.deepEqual(values.all(1), ['[1]', 'not json', '{"a":1}']);
  assert.deepEqual(values.all(3), ['[1]']);
  assert.deepEqual(values.all(9), []);
}

/** A driver whose statements have neither `pluck` nor `setReturnArrays` (node:sqlite before 22.16). */
function plainDriver(): unknown {
  const { DatabaseSync } = process.getBuiltinModule('node:sqlite');
  return class Plain {
    readonly #db: InstanceType<typeof DatabaseSync>;
    constructor(path: string) {
      this.#db = new DatabaseSync(path);
    }
    prepare(sql: string) {
      const statement = this.#db.prepare(sql);
      return {
        run: (...params: SqlValue[]) => statement.run(...params),
        get: (...params: SqlValue[]) => statement.get(...params),
        all: (...params: SqlValue[]) => statement.all(...params),
      };
    }
    exec(sql: string): void {
      this.#db.exec(sql);
    }
    close(): void {
      this.#db.close();
    }
  };
}

test('prepareColumn works on a driver that can neither pluck nor return arrays', () => {
  const { db } = openDatabase(':memory:', { driver: 'better-sqlite3', loadBetterSqlite3: plainDriver });
  try {
    readsColumns(db);
  } finally {
    db.close();
  }
});
