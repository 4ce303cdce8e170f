import { parseItem } from '../../session/session.ts';
import type { Item } from '../../session/session.ts';
import { ANSWER_VALUE_COLUMNS, pageAnswers } from '../answerRecords.ts';
import type { ItemPage, StoredItem } from '../historyStore.ts';
import type { Sql } from './pgDatabase.ts';
import { PG_TURN_START } from './pgSchema.ts';

/** A stored row: its id (the only order that counts) and its JSON text. */
export interface PgRow {
  id: number;
  data: string;
}

/** Larger than any row id (SERIAL is a 32-bit integer): "before the end" for the newest page. */
const END = 2_147_483_647;

/**
 * The thread's rows in the SDK's `agent_messages`, on the connection of the caller's transaction.
 * Order is always by `id`; rows that are not JSON objects are skipped by every read, as on SQLite.
 */

/**
 * Locks the thread's `agent_sessions` row (making it first when missing: the SDK's `clear_session`
 * deletes it), one statement. While we hold it nobody inserts into the thread: every insert takes
 * a key-share lock on that row through its foreign key, which waits for ours, and we wait for
 * theirs. So our rows never interleave with another writer's (concurrent inserts into one table
 * draw ids from the sequence in turn), and changes that depend on how the thread ends
 * (transactions, Undo, Redo, versions) see every row committed before them.
 */
export async function lockThread(sql: Sql, threadId: string): Promise<void> {
  await sql(
    'WITH made AS (INSERT INTO agent_sessions (session_id) VALUES ($1) ON CONFLICT (session_id) DO NOTHING) ' +
      'SELECT 1 FROM agent_sessions WHERE session_id = $1 FOR UPDATE',
    [threadId],
  );
}

/** The thread's newest row id; 0 when it has none. */
export async function lastRowId(sql: Sql, threadId: string): Promise<number> {
  const found = await sql('SELECT max(id) AS id FROM agent_messages WHERE session_id = $1', [threadId]);
  return Number(found.rows[0]?.id ?? 0);
}

/**
 * Appends rows of JSON text in their order, on a thread the caller has locked ({@link lockThread}),
 * touching the session row as the SDK does; returns the last row's id, undefined for no rows. The
 * rows get one time, read under the lock: the SDK, which reads by `created_at, id`, sees each
 * append whole and in the order of ids.
 */
export async function appendRows(sql: Sql, threadId: string, rows: readonly string[]): Promise<number | undefined> {
  if (rows.length === 0) return undefined;
  const inserted = await sql(
    'WITH touched AS (UPDATE agent_sessions SET updated_at = CURRENT_TIMESTAMP WHERE session_id = $1) ' +
      'INSERT INTO agent_messages (session_id, message_data, created_at) ' +
      'SELECT $1, r.data, t.at FROM (SELECT clock_timestamp() AS at) AS t, unnest($2::text[]) WITH ORDINALITY AS r (data, n) ORDER BY r.n RETURNING id',
    [threadId, rows],
  );
  return maxId(inserted.rows);
}

/** The largest `id` of `rows` (no spread: a version switch can return tens of thousands). */
export function maxId(rows: readonly { id?: unknown }[]): number {
  let max = 0;
  for (const row of rows) max = Math.max(max, Number(row.id));
  return max;
}

function readable(rows: readonly { id: unknown; data: unknown }[]): StoredItem[] {
  const items: StoredItem[] = [];
  for (const row of rows) {
    const item = parseItem(row.data as string);
    if (item) items.push({ rowId: Number(row.id), item });
  }
  return items;
}

/** Every readable item, oldest first. */
export async function allItems(sql: Sql, threadId: string): Promise<Item[]> {
  const found = await sql('SELECT message_data AS data FROM agent_messages WHERE session_id = $1 ORDER BY id', [threadId]);
  const items: Item[] = [];
  for (const row of found.rows) {
    const item = parseItem(row.data as string);
    if (item) items.push(item);
  }
  return items;
}

/** The latest `limit` readable items, oldest first; corrupt rows do not count towards the limit. */
export async function latestItems(sql: Sql, threadId: string, limit: number): Promise<Item[]> {
  if (limit <= 0) return [];
  const items: StoredItem[] = [];
  let before = END;
  for (let asked = limit; ; ) {
    const found = await sql(
      'SELECT id, message_data AS data FROM agent_messages WHERE session_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3',
      [threadId, before, asked],
    );
    items.push(...readable(found.rows));
    if (items.length >= limit || found.rows.length < asked) break;
    asked = limit - items.length;
    before = Number(found.rows.at(-1)!.id);
  }
  return items.slice(0, limit).reverse().map((stored) => stored.item);
}

/** The newest readable item; corrupt rows after it are passed over. */
export async function lastItem(sql: Sql, threadId: string): Promise<StoredItem | undefined> {
  let before = END;
  for (;;) {
    const found = await sql('SELECT id, message_data AS data FROM agent_messages WHERE session_id = $1 AND id < $2 ORDER BY id DESC LIMIT 8', [threadId, before]);
    const [item] = readable(found.rows);
    if (item || found.rows.length < 8) return item;
    before = Number(found.rows.at(-1)!.id);
  }
}

/** True when the thread has a user message. */
export async function hasTurns(sql: Sql, threadId: string): Promise<boolean> {
  return (await sql(`SELECT 1 FROM agent_messages WHERE session_id = $1 AND ${PG_TURN_START} LIMIT 1`, [threadId])).rows.length > 0;
}

/** Row id of the thread's newest user message: the start of its last turn. */
export async function newestTurnStart(sql: Sql, threadId: string): Promise<number | undefined> {
  const found = await sql(`SELECT id FROM agent_messages WHERE session_id = $1 AND ${PG_TURN_START} ORDER BY id DESC LIMIT 1`, [threadId]);
  return found.rows.length > 0 ? Number(found.rows[0]!.id) : undefined;
}

/** The raw text of the row `rowId` when it starts a turn of the thread; undefined otherwise. */
export async function turnStartText(sql: Sql, threadId: string, rowId: number): Promise<string | undefined> {
  const found = await sql(`SELECT message_data AS data FROM agent_messages WHERE session_id = $1 AND id = $2 AND ${PG_TURN_START}`, [threadId, rowId]);
  return found.rows[0]?.data as string | undefined;
}

/** The first turn start after `rowId`; undefined when none. */
export async function nextTurnStart(sql: Sql, threadId: string, rowId: number): Promise<number | undefined> {
  const found = await sql(`SELECT id FROM agent_messages WHERE session_id = $1 AND id > $2 AND ${PG_TURN_START} ORDER BY id LIMIT 1`, [threadId, rowId]);
  return found.rows.length > 0 ? Number(found.rows[0]!.id) : undefined;
}

/** The page's rows with the answer record of each (NULL columns for none): one statement for both. */
const PAGE_ROWS =
  `SELECT m.id, m.message_data AS data, a.row_id, ${ANSWER_VALUE_COLUMNS.split(', ').map((c) => `a.${c}`).join(', ')} FROM agent_messages m ` +
  'LEFT JOIN LATERAL (SELECT * FROM session_chat_answers r WHERE r.session_id = m.session_id AND r.row_id = m.id ORDER BY r.id DESC LIMIT 1) a ON true ' +
  'WHERE m.session_id = $1 AND m.id >= $2 AND m.id < $3 ORDER BY m.id';

/**
 * The `size` turns before the turn starting at `beforeId` (the newest turns when absent), with
 * the answer records of its turns. Items before the thread's first user message form a turn of
 * their own, named by its first row.
 */
export async function page(sql: Sql, threadId: string, size: number, beforeId: number = END): Promise<ItemPage> {
  const want = Math.max(1, Math.floor(size));
  const startRows = await sql(
    `SELECT id FROM agent_messages WHERE session_id = $1 AND id < $2 AND ${PG_TURN_START} ORDER BY id DESC LIMIT $3`,
    [threadId, beforeId, want + 1],
  );
  const starts = startRows.rows.map((row) => Number(row.id));
  let start: number | undefined;
  let olderId: number | undefined;
  if (starts.length > want) {
    start = starts[want - 1];
    olderId = starts[want];
  } else {
    const firstRow = await sql('SELECT id FROM agent_messages WHERE session_id = $1 AND message_data IS JSON OBJECT ORDER BY id LIMIT 1', [threadId]);
    const first = firstRow.rows.length > 0 ? Number(firstRow.rows[0]!.id) : undefined;
    const oldestStart = starts.at(-1) ?? beforeId;
    const preamble = first !== undefined && first < oldestStart ? first : undefined;
    if (preamble !== undefined && starts.length === want) {
      start = starts[want - 1];
      olderId = preamble;
    } else {
      start = preamble ?? starts.at(-1);
    }
  }
  if (start === undefined) return { items: [], hasOlder: false };
  const rows = await sql(PAGE_ROWS, [threadId, start, beforeId]);
  const items = readable(rows.rows);
  const answers = pageAnswers(items, rows.rows.filter((row) => row.row_id !== null));
  const found: ItemPage = olderId === undefined ? { items, hasOlder: false } : { items, hasOlder: true, olderId };
  return answers ? { ...found, answers } : found;
}

/** Rows (raw text, corrupt ones included) from `fromId` on, oldest first. */
export async function rowsFrom(sql: Sql, threadId: string, fromId: number): Promise<PgRow[]> {
  const found = await sql('SELECT id, message_data AS data FROM agent_messages WHERE session_id = $1 AND id >= $2 ORDER BY id', [threadId, fromId]);
  return found.rows.map((row) => ({ id: Number(row.id), data: row.data as string }));
}

/** Deletes rows from `fromId` on (their search entries cascade); returns how many. */
export async function deleteFrom(sql: Sql, threadId: string, fromId: number): Promise<number> {
  return (await sql('DELETE FROM agent_messages WHERE session_id = $1 AND id >= $2', [threadId, fromId])).rowCount ?? 0;
}

/**
 * Removes and returns the newest readable item (the SDK's `pop_item`). Corrupt rows newer than it
 * are left in place: invisible to every read, and something to inspect. `popped` hears which row went.
 */
export async function popItem(sql: Sql, threadId: string, popped?: (sql: Sql, rowId: number) => Promise<void>): Promise<Item | undefined> {
  let before = END;
  for (;;) {
    const found = await sql('SELECT id, message_data AS data FROM agent_messages WHERE session_id = $1 AND id < $2 ORDER BY id DESC LIMIT 8', [threadId, before]);
    const [newest] = readable(found.rows);
    if (newest) {
      await sql('DELETE FROM agent_messages WHERE id = $1', [newest.rowId]);
      await popped?.(sql, newest.rowId);
      return newest.item;
    }
    if (found.rows.length < 8) return undefined;
    before = Number(found.rows.at(-1)!.id);
  }
}
