import { ANSWER_VALUE_COLUMNS, answerValues, matchRestored, pageAnswers, rowDigest, toThreadUsage } from '../answerRecords.ts';
import type { AnswerRecord, ItemPage, ThreadUsage } from '../historyStore.ts';
import type { Sql } from './pgDatabase.ts';

/**
 * Answer records on PostgreSQL (`session_chat_answers`, schema version 2), as `AnswerTable` keeps
 * them on SQLite (src/core/store/answerRecords.ts explains how a record follows its row). Every
 * function runs on the caller's transaction; the writes run on a thread it has locked.
 */

/** Records `answer` for the row `rowId` (text `data`) of a thread the catalogue knows. */
export async function recordAnswer(sql: Sql, threadId: string, rowId: number, data: string, answer: AnswerRecord, now: number): Promise<void> {
  await sql(
    `INSERT INTO session_chat_answers (session_id, row_id, digest, ${ANSWER_VALUE_COLUMNS}) ` +
      'SELECT $1::varchar, $2, $3, $4, $5, $6, $7, $8, $9, $10::int = 1, $11, $12 WHERE EXISTS (SELECT 1 FROM session_chat_threads WHERE id = $1::varchar)',
    [threadId, rowId, rowDigest(data), ...answerValues(answer, now)],
  );
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

/**
 * The sum over the records whose rows are in the thread (one pass over the thread's records, each
 * joined to its row by primary key); undefined when none.
 */
export async function threadUsage(sql: Sql, threadId: string): Promise<ThreadUsage | undefined> {
  const found = await sql(
    'SELECT count(*) AS answers, sum(a.input_tokens) AS input_tokens, sum(a.output_tokens) AS output_tokens, ' +
      'sum(a.cached_tokens) AS cached_tokens, bool_or(a.estimated) AS estimated, sum(a.requests) AS requests ' +
      'FROM session_chat_answers a JOIN agent_messages m ON m.id = a.row_id AND m.session_id = a.session_id WHERE a.session_id = $1',
    [threadId],
  );
  return toThreadUsage(found.rows[0]);
}

/**
 * Re-links the records waiting for `rows` (texts, or their JSON array), which were just appended,
 * in order, after the row `before` on a thread the caller has locked (Redo, the undo of a Clear,
 * a version shown again). One statement for a thread without records.
 */
export async function relinkAnswers(sql: Sql, threadId: string, before: number, rows: readonly string[] | string): Promise<void> {
  if (rows.length === 0) return;
  if ((await sql('SELECT 1 FROM session_chat_answers WHERE session_id = $1 LIMIT 1', [threadId])).rows.length === 0) return;
  const texts = typeof rows === 'string' ? (JSON.parse(rows) as string[]) : rows;
  const ids = (await sql('SELECT id FROM agent_messages WHERE session_id = $1 AND id > $2 ORDER BY id', [threadId, before])).rows.map((row) => Number(row.id));
  if (ids.length !== texts.length) return;
  const digests = texts.map(rowDigest);
  const waiting = await sql(
    'SELECT a.id AS key, a.digest FROM session_chat_answers a WHERE a.session_id = $1 AND a.digest = ANY($2::text[]) ' +
      'AND NOT EXISTS (SELECT 1 FROM agent_messages m WHERE m.id = a.row_id)',
    [threadId, [...new Set(digests)]],
  );
  if (waiting.rows.length === 0) return;
  const restored = ids.map((id, i) => ({ id, data: texts[i]! }));
  const links = matchRestored(restored, digests, waiting.rows.map((row) => ({ key: Number(row.key), digest: row.digest as string })));
  if (links.length === 0) return;
  await sql('UPDATE session_chat_answers a SET row_id = l.row_id FROM unnest($1::int[], $2::int[]) AS l (key, row_id) WHERE a.id = l.key', [
    links.map((link) => link.key), links.map((link) => link.rowId),
  ]);
}

/** Forgets the records of rows from `fromRowId` on: those rows were replaced (or cleared) for good. */
export async function deleteAnswersFrom(sql: Sql, threadId: string, fromRowId: number): Promise<void> {
  await sql('DELETE FROM session_chat_answers WHERE session_id = $1 AND row_id >= $2', [threadId, fromRowId]);
}

/**
 * Copies the records of `from`'s rows before `end` to the new thread `to`, whose rows are copies
 * of those rows in the same order (a fork). One statement: rows are paired by their rank.
 */
export async function copyAnswers(sql: Sql, from: string, end: number, to: string): Promise<void> {
  await sql(
    `INSERT INTO session_chat_answers (session_id, row_id, digest, ${ANSWER_VALUE_COLUMNS}) ` +
      `SELECT $3::varchar, t.id, a.digest, ${ANSWER_VALUE_COLUMNS.split(', ').map((column) => `a.${column}`).join(', ')} FROM session_chat_answers a ` +
      'JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM agent_messages WHERE session_id = $1 AND id < $2) s ON s.id = a.row_id ' +
      'JOIN (SELECT id, row_number() OVER (ORDER BY id) AS n FROM agent_messages WHERE session_id = $3::varchar) t ON t.n = s.n ' +
      'WHERE a.session_id = $1',
    [from, end, to],
  );
}
