import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { SDK_SCHEMA } from '../src/core/session/sdkSchema.ts';
import { SqliteSession } from '../src/core/session/sqliteSession.ts';
import type { Item } from '../src/core/session/session.ts';
import type { DriverName } from '../src/core/session/sqliteDriver.ts';
import { ThreadStore } from '../src/core/threads/threadStore.ts';

/** One way of storing a chat history, as the benchmark drives it. Sync or async. */
export interface BenchStore {
  name: string;
  /** Loads many turns at once, for a store too slow to prefill turn by turn. */
  bulkLoad?(turns: Item[][]): void;
  addTurn(items: Item[]): unknown;
  getLast(limit: number): unknown;
  pop(): unknown;
  getAll(): unknown;
  close(): void;
}

const SESSION = 'bench';

/** The session store under test. */
export function sqliteSessionStore(file: string, driver: DriverName = 'better-sqlite3'): BenchStore {
  const session = new SqliteSession(SESSION, file, { driver });
  return {
    name: driver === 'better-sqlite3' ? 'SqliteSession' : `SqliteSession (${driver})`,
    addTurn: (items) => session.addItems(items),
    getLast: (limit) => session.getItems(limit),
    pop: () => session.popItem(),
    getAll: () => session.getItems(),
    close: () => session.close(),
  };
}

/** The thread store the panel uses: adds also drop the redo stack and bump the thread. */
export function threadStoreStore(file: string): BenchStore {
  const store = ThreadStore.open(file);
  const id = store.createThread('bench').id;
  return {
    name: 'ThreadStore',
    addTurn: (items) => store.addItems(id, items),
    getLast: (limit) => store.getItems(id, limit),
    pop: () => store.popItem(id),
    getAll: () => store.getItems(id),
    close: () => store.close(),
  };
}

interface RawStatement {
  run(...params: unknown[]): unknown;
  get(...params: unknown[]): { id: number; message_data: string } | undefined;
  all(...params: unknown[]): unknown[];
  pluck(): RawStatement;
}
interface RawDb {
  pragma(sql: string): unknown;
  exec(sql: string): void;
  prepare(sql: string): RawStatement;
  transaction<A extends unknown[], R>(fn: (...args: A) => R): { immediate(...args: A): R };
  close(): void;
}

/**
 * The floor: better-sqlite3 running the same SQL and JSON work with nothing in between. Reads
 * take the JSON text alone (`pluck()`), the fastest way the driver has to hand over a column.
 */
export function rawFloorStore(file: string): BenchStore {
  const Database = createRequire(import.meta.url)('better-sqlite3') as new (path: string) => RawDb;
  const db = new Database(file);
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec(SDK_SCHEMA);
  const ensure = db.prepare('INSERT OR IGNORE INTO agent_sessions (session_id) VALUES (?)');
  const insert = db.prepare('INSERT INTO agent_messages (session_id, message_data) VALUES (?, ?)');
  const touch = db.prepare('UPDATE agent_sessions SET updated_at = CURRENT_TIMESTAMP WHERE session_id = ?');
  const latest = db.prepare('SELECT message_data FROM agent_messages WHERE session_id = ? ORDER BY id DESC LIMIT ?').pluck();
  const all = db.prepare('SELECT message_data FROM agent_messages WHERE session_id = ? ORDER BY id').pluck();
  const newest = db.prepare('SELECT id, message_data FROM agent_messages WHERE session_id = ? ORDER BY id DESC LIMIT 1');
  const remove = db.prepare('DELETE FROM agent_messages WHERE id = ?');
  const add = db.transaction((rows: string[]) => {
    ensure.run(SESSION);
    for (const row of rows) insert.run(SESSION, row);
    touch.run(SESSION);
  });
  const popTx = db.transaction(() => {
    const row = newest.get(SESSION);
    if (row) remove.run(row.id);
    return row && JSON.parse(row.message_data);
  });
  return {
    name: 'raw better-sqlite3',
    // BEGIN IMMEDIATE, as the store does: the write lock up front.
    addTurn: (items) => add.immediate(items.map((item) => JSON.stringify(item))),
    getLast: (limit) => latest.all(SESSION, limit).map((data) => JSON.parse(data as string)).reverse(),
    pop: () => popTx.immediate(),
    getAll: () => all.all(SESSION).map((data) => JSON.parse(data as string)),
    close: () => db.close(),
  };
}

/**
 * What popular chat extensions do: the whole history in one JSON file, rewritten (to a temp
 * file, then renamed, so a crash cannot leave half a file) on every change.
 */
export function jsonFileStore(file: string): BenchStore {
  let items: Item[] = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Item[]) : [];
  const save = () => {
    writeFileSync(`${file}.tmp`, JSON.stringify(items));
    renameSync(`${file}.tmp`, file);
  };
  return {
    name: 'JSON file',
    bulkLoad: (turns) => {
      items.push(...structuredClone(turns.flat()));
      save();
    },
    addTurn: (turn) => {
      items.push(...structuredClone(turn));
      save();
    },
    getLast: (limit) => structuredClone(items.slice(-limit)),
    pop: () => {
      const item = items.pop();
      save();
      return item;
    },
    getAll: () => structuredClone(items),
    close: () => {
      items = [];
    },
  };
}
