import {
  ANSWER_VALUE_COLUMNS,
  answerValues,
  matchRestored,
  rowDigest,
  toThreadUsage,
  TOTALS_AGGREGATE,
  TOTALS_COLUMNS,
} from '../answerRecords.ts';
import type { AnswerRecord, ThreadUsage } from '../historyStore.ts';
import type { Sql } from './pgDatabase.ts';

/**
 * Answer records on PostgreSQL (`session_chat_answers` and `session_chat_answer_totals`, schema
 * version 2), as `AnswerTable` keeps them on SQLite (src/core/store/answerRecords.ts explains how a
 * record follows its row). Every function runs on the caller's transaction; the writes run on a
 * thread it has locked. Each costs the records of the rows it moves, never the thread's.
 */

/** Larger than any row id (SERIAL is a 32-bit integer). */
const END = 2_147_483_647;

const KNOWN = 'EXISTS (SELECT 1 FROM session_chat_threads WHERE id = $1::varchar)';
const PRESENT = 'EXISTS (SELECT 1 FROM agent_messages m WHERE m.id = a.row_id AND m.session_id = a.session_id)';
const USAGE_ONLY = 'input_tokens, output_tokens, cached_tokens, estimated, requests';
const USAGE_COLUMNS = `live, ${USAGE_ONLY}`;

/**
 * `moved` (a CTE over records that change state, returning {@link USAGE_COLUMNS}) and the change
 * of the thread's totals it makes (`sign`), as one statement: one round trip for both. `$1` is the
 * thread; only records that count (`live` as returned) are summed.
 */
function withTotals(moved: string, sign: '+' | '-'): string {
  const update = TOTALS_COLUMNS.map((c) => `${c} = session_chat_answer_totals.${c} + excluded.${c}`).join(', ');
  const values = TOTALS_COLUMNS.map((c) => `${sign === '-' ? '-' : ''}d.${c}`).join(', ');
  return (
    `WITH moved AS (${moved}), d AS (SELECT ${TOTALS_AGGREGATE} FROM moved WHERE live) ` +
    `INSERT INTO session_chat_answer_totals (session_id, ${TOTALS_COLUMNS.join(', ')}) SELECT $1::varchar, ${values} FROM d ` +
    `WHERE d.answers > 0 AND ${KNOWN} ON CONFLICT (session_id) DO UPDATE SET ${update}`
  );
}

/** Records `answer` for the row `rowId` (text `data`) of a thread the catalogue knows. */
export async function recordAnswer(sql: Sql, threadId: string, rowId: number, data: string, answer: AnswerRecord, now: number): Promise<void> {
  await sql(
    withTotals(
      `INSERT INTO session_chat_answers (session_id, row_id, digest, ${ANSWER_VALUE_COLUMNS}) ` +
        `SELECT $1::varchar, $2, $3, $4, $5, $6, $7, $8, $9, $10::int = 1, $11, $12 WHERE ${KNOWN} RETURNING ${USAGE_COLUMNS}`,
      '+',
    ),
    [threadId, rowId, rowDigest(data), ...answerValues(answer, now)],
  );
}

/**
 * The thread's newest row id (0 when none) and the sum over its live records (its totals row;
 * undefined when none), in one round trip. When another program deleted the row of the newest
 * live record (the SDK's `pop_item` or `clear_session`), the sum is made over the records whose
 * rows are there instead (until {@link healAnswers}). Pages carry their records themselves
 * (pgRows.ts `page`).
 */
export async function lastRowAndUsage(sql: Sql, threadId: string): Promise<{ lastRowId: number; usage: ThreadUsage | undefined }> {
  const found = await sql(
    `SELECT (SELECT max(id) FROM agent_messages WHERE session_id = $1) AS last_row_id, ${TOTALS_COLUMNS.map((c) => `t.${c}`).join(', ')}, ` +
      `(SELECT ${PRESENT} FROM session_chat_answers a WHERE a.session_id = $1 AND a.live ORDER BY a.row_id DESC LIMIT 1) AS present ` +
      'FROM (SELECT 1) AS one LEFT JOIN session_chat_answer_totals t ON t.session_id = $1',
    [threadId],
  );
  const row = found.rows[0];
  let usage = toThreadUsage(row);
  if (usage && row?.present === false) {
    const summed = await sql(`SELECT ${TOTALS_AGGREGATE} FROM session_chat_answers a WHERE a.session_id = $1 AND a.live AND ${PRESENT}`, [threadId]);
    usage = toThreadUsage(summed.rows[0]);
  }
  return { lastRowId: Number(row?.last_row_id ?? 0), usage };
}

/** True when another program deleted the row of the thread's newest live record: one index step and one primary-key look-up. */
async function lostNewest(sql: Sql, threadId: string): Promise<boolean> {
  const found = await sql(`SELECT ${PRESENT} AS present FROM session_chat_answers a WHERE a.session_id = $1 AND a.live ORDER BY a.row_id DESC LIMIT 1`, [threadId]);
  return found.rows.length > 0 && found.rows[0]!.present === false;
}

/** Forgets records whose rows another program deleted, and sums the thread again; cheap when there are none. */
export async function healAnswers(sql: Sql, threadId: string): Promise<void> {
  if (!(await lostNewest(sql, threadId))) return;
  await sql(`DELETE FROM session_chat_answers a WHERE a.session_id = $1 AND a.live AND NOT ${PRESENT}`, [threadId]);
  await sql('DELETE FROM session_chat_answer_totals WHERE session_id = $1', [threadId]);
  await sql(withTotals(`SELECT ${USAGE_COLUMNS} FROM session_chat_answers WHERE session_id = $1 AND live`, '+'), [threadId]);
}

/** The rows from `fromRowId` on are being taken away to be kept (Undo, Clear, a version hidden): their records wait. One statement. */
export async function answersAway(sql: Sql, threadId: string, fromRowId: number): Promise<void> {
  await sql(
    withTotals(`UPDATE session_chat_answers SET live = false WHERE session_id = $1 AND row_id >= $2 AND live RETURNING true AS live, ${USAGE_ONLY}`, '-'),
    [threadId, fromRowId],
  );
}

/** The rows from `fromRowId` through `toRowId` are gone for good (replaced, cleared for good, popped): so are their records. One statement. */
export async function forgetAnswers(sql: Sql, threadId: string, fromRowId: number, toRowId: number = END): Promise<void> {
  await sql(withTotals(`DELETE FROM session_chat_answers WHERE session_id = $1 AND row_id >= $2 AND row_id <= $3 RETURNING ${USAGE_COLUMNS}`, '-'), [
    threadId, fromRowId, toRowId,
  ]);
}

/**
 * Re-links the records waiting for `rows` (texts, or their JSON array), which were just appended,
 * in order, after the row `before` on a thread the caller has locked (Redo, the undo of a Clear,
 * a version shown again). One statement when no record waits.
 */
export async function relinkAnswers(sql: Sql, threadId: string, before: number, rows: readonly string[] | string): Promise<void> {
  if (rows.length === 0) return;
  if ((await sql('SELECT 1 FROM session_chat_answers WHERE session_id = $1 AND NOT live LIMIT 1', [threadId])).rows.length === 0) return;
  const texts = typeof rows === 'string' ? (JSON.parse(rows) as string[]) : rows;
  const ids = (await sql('SELECT id FROM agent_messages WHERE session_id = $1 AND id > $2 ORDER BY id', [threadId, before])).rows.map((row) => Number(row.id));
  if (ids.length !== texts.length) return;
  const digests = texts.map(rowDigest);
  const waiting = await sql('SELECT id AS key, digest FROM session_chat_answers WHERE session_id = $1 AND NOT live AND digest = ANY($2::text[])', [
    threadId, [...new Set(digests)],
  ]);
  if (waiting.rows.length === 0) return;
  const restored = ids.map((id, i) => ({ id, data: texts[i]! }));
  const links = matchRestored(restored, digests, waiting.rows.map((row) => ({ key: Number(row.key), digest: row.digest as string })));
  if (links.length === 0) return;
  await sql(
    withTotals(
      'UPDATE session_chat_answers a SET row_id = l.row_id, live = true FROM unnest($2::int[], $3::int[]) AS l (key, row_id) ' +
        `WHERE a.id = l.key AND a.session_id = $1 RETURNING ${USAGE_COLUMNS.split(', ').map((c) => `a.${c}`).join(', ')}`,
      '+',
    ),
    [threadId, links.map((link) => link.key), links.map((link) => link.rowId)],
  );
}

/**
 * Copies the records of `from`'s rows before `end` to the new thread `to`, whose rows are copies
 * of those rows in the same order (a fork), rows paired by their rank, and sums them.
 */
export async function copyAnswers(sql: Sql, from: string, end: number, to: string): Promise<void> {
  await sql(
    withTotals(
      `INSERT INTO session_chat_answers (session_id, row_id, digest, ${ANSWER_VALUE_COLUMNS}) ` +
        `SELECT $1::varchar, t.id, a.digest, ${ANSWER_VALUE_COLUMNS.split(', ').map((column) => `a.${column}`).join(', ')} FROM session_chat_answers a ` +
        'JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM agent_messages WHERE session_id = $2 AND id < $3) s ON s.id = a.row_id ' +
        'JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM agent_messages WHERE session_id = $1::varchar) t ON t.n = s.n ' +
        `WHERE a.session_id = $2 AND a.live RETURNING ${USAGE_COLUMNS}`,
      '+',
    ),
    [to, from, end],
  );
}
