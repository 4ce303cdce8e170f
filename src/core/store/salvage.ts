import { openDatabase } from '../session/sqliteDriver.ts';
import type { Database, OpenOptions, Row, SqlValue, Statement } from '../session/sqliteDriver.ts';
import { migrate } from '../threads/threadSchema.ts';
import { TOTALS_AGGREGATE, TOTALS_COLUMNS } from './answerRecords.ts';

/** What {@link salvageInto} copied. */
export interface Salvaged {
  /** Sessions (threads) of which something was copied. */
  threads: number;
  /** Rows of `agent_messages` copied. */
  items: number;
}

/**
 * The tables copied, parents before children (the fresh file enforces foreign keys). The undo
 * stack, the operation log and the answer records come along: row ids are kept, so what they
 * expect still holds. The answer totals are summed again from what was saved ({@link resumAnswers}).
 */
const TABLES = [
  'agent_sessions',
  'session_chat_threads',
  'agent_messages',
  'session_chat_current',
  'session_chat_undo',
  'session_chat_operations',
  'session_chat_answers',
] as const;

/** Tables whose ids are AUTOINCREMENT: their counters move on from the old file's, so no id is ever reused. */
const AUTOINCREMENT = ['agent_messages', 'session_chat_undo'] as const;

/** Rows read per query while nothing fails; past damage, rows are read one id at a time for this many ids. */
const BATCH = 256;

/** Without a known last row id, the walk stops after this many ids in a row that gave nothing. */
const MAX_MISSES = 100_000;

/**
 * Copies what can still be read from the database at `fromPath` (moved aside as damaged) into the
 * database at `intoPath` (created and migrated here): table by table, row by row where a page
 * fails, keeping row ids, so threads keep their titles and workspaces and messages their order.
 * Whatever throws is skipped. Never writes to `fromPath` (it is opened read-only).
 */
export function salvageInto(fromPath: string, intoPath: string, options: OpenOptions = {}): Salvaged {
  const into = openDatabase(intoPath, options).db;
  try {
    migrate(into);
    let from: Database;
    try {
      from = openDatabase(fromPath, { ...options, readOnly: true, exclusive: false }).db;
    } catch {
      return { threads: 0, items: 0 };
    }
    try {
      return into.transaction(() => copyAll(from, into));
    } finally {
      from.close();
    }
  } finally {
    into.close();
  }
}

function copyAll(from: Database, into: Database): Salvaged {
  const sessions = new Set<string>();
  const ensureSession = into.prepare('INSERT OR IGNORE INTO agent_sessions (session_id) VALUES (?)');
  let items = 0;
  for (const table of TABLES) {
    const copied = copyTable(from, into, table, (row) => {
      // A message or thread whose session row was lost still needs one (foreign key).
      const session = table === 'agent_messages' || table === 'agent_sessions' ? row.session_id : table === 'session_chat_threads' ? row.id : undefined;
      if (typeof session !== 'string') return;
      if (table !== 'agent_sessions') ensureSession.run(session);
      sessions.add(session);
    });
    if (table === 'agent_messages') items = copied;
  }
  for (const table of AUTOINCREMENT) carrySequence(from, into, table);
  resumAnswers(into);
  return { threads: sessions.size, items };
}

/**
 * Records of answers whose rows were lost go (nothing can bring those rows back), and each
 * thread's totals are summed from the records that were saved.
 */
function resumAnswers(into: Database): void {
  into.exec('DELETE FROM session_chat_answers WHERE live = 1 AND NOT EXISTS (SELECT 1 FROM agent_messages m WHERE m.id = session_chat_answers.row_id)');
  into.exec(
    `INSERT INTO session_chat_answer_totals (session_id, ${TOTALS_COLUMNS.join(', ')}) ` +
      `SELECT session_id, ${TOTALS_AGGREGATE} FROM session_chat_answers WHERE live = 1 GROUP BY session_id`,
  );
}

function tryRun<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}

function columnsOf(db: Database, table: string): string[] {
  return (tryRun(() => db.prepare(`PRAGMA table_info("${table}")`).all()) ?? []).map((row) => String(row.name));
}

/**
 * Copies the readable rows of `table` (the columns both files have); `before` runs ahead of each
 * insert, inside the same try, so a row whose parent cannot be made is skipped. Returns how many
 * rows went in.
 */
function copyTable(from: Database, into: Database, table: string, before: (row: Row) => void): number {
  const known = new Set(columnsOf(from, table));
  const columns = columnsOf(into, table).filter((name) => known.has(name));
  if (columns.length === 0) return 0;
  const list = columns.map((name) => `"${name}"`).join(', ');
  const insert = into.prepare(`INSERT OR IGNORE INTO "${table}" (${list}) VALUES (${columns.map(() => '?').join(', ')})`);
  let copied = 0;
  for (const row of readableRows(from, table, list)) {
    try {
      before(row);
      if (Number(insert.run(...columns.map((name) => row[name] as SqlValue)).changes) > 0) copied++;
    } catch {
      // A row the fresh file refuses (its thread was lost): skipped.
    }
  }
  return copied;
}

function prepared(db: Database, sql: string): Statement | undefined {
  return tryRun(() => db.prepare(sql));
}

function firstNumber(statement: Statement | undefined, ...params: SqlValue[]): number | undefined {
  const row = tryRun(() => statement?.get(...params));
  const value = row ? Object.values(row)[0] : undefined;
  return typeof value === 'number' || typeof value === 'bigint' ? Number(value) : undefined;
}

/**
 * The rows of `table` that can be read, in rowid order. Reads a batch at a time; a batch that
 * fails (it reaches a damaged page) is read again one rowid at a time, so only the rows on
 * damaged pages are lost. Stops at the highest rowid the file knows of (the table's own last row,
 * or the AUTOINCREMENT counter when that row cannot be read), or after a long run of nothing.
 */
function* readableRows(db: Database, table: string, list: string): Generator<Row> {
  const batch = prepared(db, `SELECT rowid AS "rowid$", ${list} FROM "${table}" WHERE rowid > ? ORDER BY rowid LIMIT ${BATCH}`);
  const one = prepared(db, `SELECT rowid AS "rowid$", ${list} FROM "${table}" WHERE rowid = ?`);
  if (!batch || !one) return;
  const first = firstNumber(prepared(db, `SELECT rowid FROM "${table}" ORDER BY rowid LIMIT 1`));
  const last =
    firstNumber(prepared(db, `SELECT rowid FROM "${table}" ORDER BY rowid DESC LIMIT 1`)) ??
    firstNumber(prepared(db, 'SELECT seq FROM sqlite_sequence WHERE name = ?'), table);
  let after = (first ?? 1) - 1;
  let misses = 0;
  let stepUntil = after;
  while (last === undefined ? misses < MAX_MISSES : after < last) {
    if (after >= stepUntil) {
      const rows = tryRun(() => batch.all(after));
      if (rows) {
        if (rows.length === 0) return;
        yield* rows;
        after = Number(rows[rows.length - 1]!['rowid$']);
        misses = 0;
        continue;
      }
      stepUntil = after + BATCH;
    }
    after += 1;
    const row = tryRun(() => one.get(after));
    if (row) {
      yield row;
      misses = 0;
    } else misses++;
  }
}

/** Moves the fresh file's AUTOINCREMENT counter of `table` up to the old file's. */
function carrySequence(from: Database, into: Database, table: string): void {
  const old = firstNumber(prepared(from, 'SELECT seq FROM sqlite_sequence WHERE name = ?'), table);
  if (old === undefined) return;
  tryRun(() => {
    if (Number(into.prepare('UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = ?').run(old, table).changes) === 0) {
      into.prepare('INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)').run(table, old);
    }
  });
}
