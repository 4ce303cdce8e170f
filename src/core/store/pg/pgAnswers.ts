import {
  ANSWER_VALUE_COLUMNS,
  answerDelta,
  answerValues,
  matchRestored,
  pageAnswers,
  recordsDelta,
  rowDigest,
  toThreadUsage,
  TOTALS_AGGREGATE,
  TOTALS_COLUMNS,
  totalsDelta,
} from '../answerRecords.ts';
import type { TotalsDelta } from '../answerRecords.ts';
import type { AnswerRecord, ItemPage, ThreadUsage } from '../historyStore.ts';
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

async function add(sql: Sql, threadId: string, delta: TotalsDelta): Promise<void> {
  if (delta[0] === 0) return;
  await sql(
    `INSERT INTO session_chat_answer_totals (session_id, ${TOTALS_COLUMNS.join(', ')}) SELECT $1::varchar, $2, $3, $4, $5, $6, $7 WHERE ${KNOWN} ` +
      `ON CONFLICT (session_id) DO UPDATE SET ${TOTALS_COLUMNS.map((c) => `${c} = session_chat_answer_totals.${c} + excluded.${c}`).join(', ')}`,
    [threadId, ...delta],
  );
}

/** Records `answer` for the row `rowId` (text `data`) of a thread the catalogue knows. */
export async function recordAnswer(sql: Sql, threadId: string, rowId: number, data: string, answer: AnswerRecord, now: number): Promise<void> {
  const inserted = await sql(
    `INSERT INTO session_chat_answers (session_id, row_id, digest, ${ANSWER_VALUE_COLUMNS}) ` +
      `SELECT $1::varchar, $2, $3, $4, $5, $6, $7, $8, $9, $10::int = 1, $11, $12 WHERE ${KNOWN}`,
    [threadId, rowId, rowDigest(data), ...answerValues(answer, now)],
  );
  if ((inserted.rowCount ?? 0) > 0) await add(sql, threadId, answerDelta(answer));
}

/** `page` with the records of its turns; one range read on (session_id, row_id). */
export async function withAnswers(sql: Sql, threadId: string, page: ItemPage): Promise<ItemPage> {
  if (page.items.length === 0) return page;
  const found = await sql(`SELECT row_id, ${ANSWER_VALUE_COLUMNS} FROM session_chat_answers WHERE session_id = $1 AND row_id >= $2 AND row_id <= $3`, [
    threadId, page.items[0]!.rowId, page.items.at(-1)!.rowId,
  ]);
  const answers = pageAnswers(page.items, found.rows);
  return answers ? { ...page, answers } : page;
}

const PRESENT = 'EXISTS (SELECT 1 FROM agent_messages m WHERE m.id = a.row_id AND m.session_id = a.session_id)';

/**
 * True when another program deleted the row of the thread's newest live record (the SDK's
 * `pop_item` or `clear_session`): one index step and one primary-key look-up.
 */
async function lostNewest(sql: Sql, threadId: string): Promise<boolean> {
  const found = await sql(`SELECT ${PRESENT} AS present FROM session_chat_answers a WHERE a.session_id = $1 AND a.live ORDER BY a.row_id DESC LIMIT 1`, [threadId]);
  return found.rows.length > 0 && found.rows[0]!.present === false;
}

/**
 * The sum over the thread's live records: its totals row, unless another program deleted the
 * newest one's row; then summed over the records whose rows are there (until {@link healAnswers}).
 * Undefined when none.
 */
export async function threadUsage(sql: Sql, threadId: string): Promise<ThreadUsage | undefined> {
  const found = await sql(`SELECT ${TOTALS_COLUMNS.join(', ')} FROM session_chat_answer_totals WHERE session_id = $1`, [threadId]);
  const totals = toThreadUsage(found.rows[0]);
  if (!totals || !(await lostNewest(sql, threadId))) return totals;
  const summed = await sql(`SELECT ${TOTALS_AGGREGATE} FROM session_chat_answers a WHERE a.session_id = $1 AND a.live AND ${PRESENT}`, [threadId]);
  return toThreadUsage(summed.rows[0]);
}

/** Forgets records whose rows another program deleted, and sums the thread again; cheap when there are none. */
export async function healAnswers(sql: Sql, threadId: string): Promise<void> {
  if (!(await lostNewest(sql, threadId))) return;
  await sql(`DELETE FROM session_chat_answers a WHERE a.session_id = $1 AND a.live AND NOT ${PRESENT}`, [threadId]);
  const summed = await sql(`SELECT ${TOTALS_AGGREGATE} FROM session_chat_answers WHERE session_id = $1 AND live`, [threadId]);
  await sql('DELETE FROM session_chat_answer_totals WHERE session_id = $1', [threadId]);
  await add(sql, threadId, totalsDelta(summed.rows[0]));
}

async function liveSum(sql: Sql, threadId: string, fromRowId: number, toRowId: number): Promise<TotalsDelta> {
  const found = await sql(`SELECT ${TOTALS_AGGREGATE} FROM session_chat_answers WHERE session_id = $1 AND row_id >= $2 AND row_id <= $3 AND live`, [
    threadId, fromRowId, toRowId,
  ]);
  return totalsDelta(found.rows[0], -1);
}

/** The rows from `fromRowId` on are being taken away to be kept (Undo, Clear, a version hidden): their records wait. */
export async function answersAway(sql: Sql, threadId: string, fromRowId: number): Promise<void> {
  const delta = await liveSum(sql, threadId, fromRowId, END);
  if (delta[0] === 0) return;
  await sql('UPDATE session_chat_answers SET live = false WHERE session_id = $1 AND row_id >= $2 AND live', [threadId, fromRowId]);
  await add(sql, threadId, delta);
}

/** The rows from `fromRowId` through `toRowId` are gone for good (replaced, cleared for good, popped): so are their records. */
export async function forgetAnswers(sql: Sql, threadId: string, fromRowId: number, toRowId: number = END): Promise<void> {
  const delta = await liveSum(sql, threadId, fromRowId, toRowId);
  await sql('DELETE FROM session_chat_answers WHERE session_id = $1 AND row_id >= $2 AND row_id <= $3', [threadId, fromRowId, toRowId]);
  await add(sql, threadId, delta);
}

/**
 * Re-links the records waiting for `rows` (texts, or their JSON array), which were just appended,
 * in order, after the row `before` on a thread the caller has locked (Redo, the undo of a Clear,
 * a version shown again). One statement for a thread without waiting records.
 */
export async function relinkAnswers(sql: Sql, threadId: string, before: number, rows: readonly string[] | string): Promise<void> {
  if (rows.length === 0) return;
  if ((await sql('SELECT 1 FROM session_chat_answers WHERE session_id = $1 AND NOT live LIMIT 1', [threadId])).rows.length === 0) return;
  const texts = typeof rows === 'string' ? (JSON.parse(rows) as string[]) : rows;
  const ids = (await sql('SELECT id FROM agent_messages WHERE session_id = $1 AND id > $2 ORDER BY id', [threadId, before])).rows.map((row) => Number(row.id));
  if (ids.length !== texts.length) return;
  const digests = texts.map(rowDigest);
  const waiting = await sql(
    'SELECT id AS key, digest, input_tokens, output_tokens, cached_tokens, estimated, requests FROM session_chat_answers ' +
      'WHERE session_id = $1 AND NOT live AND digest = ANY($2::text[])',
    [threadId, [...new Set(digests)]],
  );
  if (waiting.rows.length === 0) return;
  const restored = ids.map((id, i) => ({ id, data: texts[i]! }));
  const links = matchRestored(restored, digests, waiting.rows.map((row) => ({ key: Number(row.key), digest: row.digest as string })));
  if (links.length === 0) return;
  await sql('UPDATE session_chat_answers a SET row_id = l.row_id, live = true FROM unnest($1::int[], $2::int[]) AS l (key, row_id) WHERE a.id = l.key', [
    links.map((link) => link.key), links.map((link) => link.rowId),
  ]);
  const linked = new Set(links.map((link) => link.key));
  await add(sql, threadId, recordsDelta(waiting.rows.filter((row) => linked.has(Number(row.key)))));
}

/**
 * Copies the records of `from`'s rows before `end` to the new thread `to`, whose rows are copies
 * of those rows in the same order (a fork), rows paired by their rank, and sums them.
 */
export async function copyAnswers(sql: Sql, from: string, end: number, to: string): Promise<void> {
  const copied = await sql(
    `INSERT INTO session_chat_answers (session_id, row_id, digest, ${ANSWER_VALUE_COLUMNS}) ` +
      `SELECT $3::varchar, t.id, a.digest, ${ANSWER_VALUE_COLUMNS.split(', ').map((column) => `a.${column}`).join(', ')} FROM session_chat_answers a ` +
      'JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM agent_messages WHERE session_id = $1 AND id < $2) s ON s.id = a.row_id ' +
      'JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM agent_messages WHERE session_id = $3::varchar) t ON t.n = s.n ' +
      'WHERE a.session_id = $1 AND a.live',
    [from, end, to],
  );
  if ((copied.rowCount ?? 0) === 0) return;
  const sum = await sql(`SELECT ${TOTALS_AGGREGATE} FROM session_chat_answers WHERE session_id = $1 AND live`, [to]);
  await add(sql, to, totalsDelta(sum.rows[0]));
}
