import type { ColumnStatement, Database, SqlValue, Statement } from '../session/sqliteDriver.ts';
import { ANSWER_VALUE_COLUMNS, answerValues, matchRestored, pageAnswers, rowDigest, toThreadUsage } from '../store/answerRecords.ts';
import type { AnswerRecord, ItemPage, ThreadUsage } from '../store/historyStore.ts';

/**
 * Answer records on SQLite (`session_chat_answers`, schema version 5; src/core/store/answerRecords.ts
 * explains how a record follows its row). Every method runs inside the caller's transaction.
 */
export class AnswerTable {
  readonly #insert: Statement;
  readonly #inRange: Statement;
  readonly #usage: Statement;
  readonly #any: Statement;
  readonly #idsAfter: ColumnStatement;
  readonly #idsBefore: ColumnStatement;
  readonly #waiting: Statement;
  readonly #link: Statement;
  readonly #deleteFrom: Statement;
  readonly #inRows: Statement;
  readonly #copy: Statement;

  constructor(db: Database) {
    this.#insert = db.prepare(
      `INSERT INTO session_chat_answers (session_id, row_id, digest, ${ANSWER_VALUE_COLUMNS}) ` +
        'SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM session_chat_threads WHERE id = ?)',
    );
    this.#inRange = db.prepare(`SELECT row_id, ${ANSWER_VALUE_COLUMNS} FROM session_chat_answers WHERE session_id = ? AND row_id >= ? AND row_id <= ?`);
    // One indexed pass over the thread's records, each joined to its row by primary key: a record
    // whose row is gone (undone, cleared, another version's) matches nothing and does not count.
    this.#usage = db.prepare(
      'SELECT count(*) AS answers, sum(a.input_tokens) AS input_tokens, sum(a.output_tokens) AS output_tokens, ' +
        'sum(a.cached_tokens) AS cached_tokens, max(a.estimated) AS estimated, sum(a.requests) AS requests ' +
        'FROM session_chat_answers a JOIN agent_messages m ON m.id = a.row_id AND m.session_id = a.session_id WHERE a.session_id = ?',
    );
    this.#any = db.prepare('SELECT 1 AS found FROM session_chat_answers WHERE session_id = ? LIMIT 1');
    this.#idsAfter = db.prepareColumn('SELECT id FROM agent_messages WHERE session_id = ? AND id > ? ORDER BY id');
    this.#idsBefore = db.prepareColumn('SELECT id FROM agent_messages WHERE session_id = ? AND id < ? ORDER BY id');
    this.#waiting = db.prepare(
      'SELECT a.id AS key, a.digest FROM session_chat_answers a WHERE a.session_id = ? AND a.digest IN (SELECT value FROM json_each(?)) ' +
        'AND NOT EXISTS (SELECT 1 FROM agent_messages m WHERE m.id = a.row_id)',
    );
    this.#link = db.prepare('UPDATE session_chat_answers SET row_id = ? WHERE id = ?');
    this.#deleteFrom = db.prepare('DELETE FROM session_chat_answers WHERE session_id = ? AND row_id >= ?');
    this.#inRows = db.prepare(`SELECT row_id, digest, ${ANSWER_VALUE_COLUMNS} FROM session_chat_answers WHERE session_id = ? AND row_id < ? ORDER BY row_id`);
    this.#copy = db.prepare(`INSERT INTO session_chat_answers (session_id, row_id, digest, ${ANSWER_VALUE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /** Records `answer` for the row `rowId` (text `data`) of a thread the catalogue knows. */
  record(threadId: string, rowId: number, data: string, answer: AnswerRecord, now: number): void {
    this.#insert.run(threadId, rowId, rowDigest(data), ...answerValues(answer, now), threadId);
  }

  /** `page` with the records of its turns; one range read on (session_id, row_id). */
  withAnswers(threadId: string, page: ItemPage): ItemPage {
    if (page.items.length === 0) return page;
    const rows = this.#inRange.all(threadId, page.items[0]!.rowId, page.items.at(-1)!.rowId);
    const answers = pageAnswers(page.items, rows);
    return answers ? { ...page, answers } : page;
  }

  /** The sum over the records whose rows are in the thread; undefined when none. */
  usage(threadId: string): ThreadUsage | undefined {
    return toThreadUsage(this.#usage.get(threadId));
  }

  /**
   * Re-links the records waiting for `texts`, which were just appended, in order, after the row
   * `before` (Redo, the undo of a Clear, a version shown again); `rows` may be the JSON array of
   * them, parsed only when needed. One index probe for a thread without records.
   */
  relink(threadId: string, before: number, rows: readonly string[] | string): void {
    if (rows.length === 0 || this.#any.get(threadId) === undefined) return;
    const texts = typeof rows === 'string' ? (JSON.parse(rows) as string[]) : rows;
    const ids = this.#idsAfter.all(threadId, before).map(Number);
    if (ids.length !== texts.length) return;
    const digests = texts.map(rowDigest);
    const waiting = this.#waiting.all(threadId, JSON.stringify([...new Set(digests)]));
    if (waiting.length === 0) return;
    const restored = ids.map((id, i) => ({ id, data: texts[i]! }));
    const candidates = waiting.map((row) => ({ key: Number(row.key), digest: row.digest as string }));
    for (const link of matchRestored(restored, digests, candidates)) this.#link.run(link.rowId, link.key);
  }

  /** Forgets the records of rows from `fromRowId` on: those rows were replaced for good. */
  deleteFrom(threadId: string, fromRowId: number): void {
    this.#deleteFrom.run(threadId, fromRowId);
  }

  /**
   * Copies the records of `from`'s rows before `end` to the new thread `to`, whose rows are copies
   * of those rows in the same order (a fork).
   */
  copy(from: string, end: number, to: string): void {
    if (this.#any.get(from) === undefined) return;
    const fromIds = this.#idsBefore.all(from, end).map(Number);
    const toIds = this.#idsAfter.all(to, 0).map(Number);
    if (toIds.length !== fromIds.length) return;
    const position = new Map(fromIds.map((id, i) => [id, i]));
    for (const row of this.#inRows.all(from, end)) {
      const at = position.get(Number(row.row_id));
      if (at === undefined) continue;
      const values = ['digest', 'agent', 'model', 'source', 'input_tokens', 'output_tokens', 'cached_tokens', 'estimated', 'requests', 'created_at'].map((column) => row[column] as SqlValue);
      this.#copy.run(to, toIds[at]!, ...values);
    }
  }
}
