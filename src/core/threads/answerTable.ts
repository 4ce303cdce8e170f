import type { ColumnStatement, Database, SqlValue, Statement } from '../session/sqliteDriver.ts';
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
} from '../store/answerRecords.ts';
import type { TotalsDelta } from '../store/answerRecords.ts';
import type { AnswerRecord, ItemPage, ThreadUsage } from '../store/historyStore.ts';

/** Larger than any row id: "to the end of the thread". */
const END = Number.MAX_SAFE_INTEGER;

const USAGE_COLUMNS = 'input_tokens, output_tokens, cached_tokens, estimated, requests';

/**
 * Answer records on SQLite (`session_chat_answers` and `session_chat_answer_totals`, schema
 * version 5; src/core/store/answerRecords.ts explains how a record follows its row). Every method
 * runs inside the caller's transaction; each costs the records of the rows it moves, never the
 * thread's.
 */
export class AnswerTable {
  readonly #insert: Statement;
  readonly #inRange: Statement;
  readonly #totals: Statement;
  readonly #adjust: Statement;
  readonly #recompute: Statement;
  readonly #liveSum: Statement;
  readonly #setAway: Statement;
  readonly #delete: Statement;
  readonly #any: Statement;
  readonly #anyWaiting: Statement;
  readonly #idsAfter: ColumnStatement;
  readonly #idsBefore: ColumnStatement;
  readonly #waiting: Statement;
  readonly #link: Statement;
  readonly #liveBefore: Statement;
  readonly #copy: Statement;
  readonly #newestLive: Statement;
  readonly #joinedSum: Statement;
  readonly #dropLost: Statement;

  constructor(db: Database) {
    const known = 'EXISTS (SELECT 1 FROM session_chat_threads WHERE id = ?)';
    this.#insert = db.prepare(
      `INSERT INTO session_chat_answers (session_id, row_id, digest, ${ANSWER_VALUE_COLUMNS}) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${known}`,
    );
    this.#inRange = db.prepare(`SELECT row_id, ${ANSWER_VALUE_COLUMNS} FROM session_chat_answers WHERE session_id = ? AND row_id >= ? AND row_id <= ?`);
    this.#totals = db.prepare(`SELECT ${TOTALS_COLUMNS.join(', ')} FROM session_chat_answer_totals WHERE session_id = ?`);
    this.#adjust = db.prepare(
      `INSERT INTO session_chat_answer_totals (session_id, ${TOTALS_COLUMNS.join(', ')}) SELECT ?, ?, ?, ?, ?, ?, ? WHERE ${known} ` +
        `ON CONFLICT (session_id) DO UPDATE SET ${TOTALS_COLUMNS.map((column) => `${column} = ${column} + excluded.${column}`).join(', ')}`,
    );
    this.#recompute = db.prepare(
      `INSERT INTO session_chat_answer_totals (session_id, ${TOTALS_COLUMNS.join(', ')}) SELECT ?, ${TOTALS_AGGREGATE} ` +
        `FROM session_chat_answers WHERE session_id = ? AND live = 1 ON CONFLICT (session_id) DO UPDATE SET ` +
        TOTALS_COLUMNS.map((column) => `${column} = excluded.${column}`).join(', '),
    );
    this.#liveSum = db.prepare(`SELECT ${TOTALS_AGGREGATE} FROM session_chat_answers WHERE session_id = ? AND row_id >= ? AND row_id <= ? AND live = 1`);
    this.#setAway = db.prepare('UPDATE session_chat_answers SET live = 0 WHERE session_id = ? AND row_id >= ? AND live = 1');
    this.#delete = db.prepare('DELETE FROM session_chat_answers WHERE session_id = ? AND row_id >= ? AND row_id <= ?');
    this.#any = db.prepare('SELECT 1 AS found FROM session_chat_answers WHERE session_id = ? LIMIT 1');
    // Through the partial index of waiting records: free when none waits, however many are live.
    this.#anyWaiting = db.prepare('SELECT 1 AS found FROM session_chat_answers WHERE session_id = ? AND live = 0 LIMIT 1');
    this.#idsAfter = db.prepareColumn('SELECT id FROM agent_messages WHERE session_id = ? AND id > ? ORDER BY id');
    this.#idsBefore = db.prepareColumn('SELECT id FROM agent_messages WHERE session_id = ? AND id < ? ORDER BY id');
    this.#waiting = db.prepare(
      `SELECT id AS key, digest, ${USAGE_COLUMNS} FROM session_chat_answers WHERE session_id = ? AND live = 0 AND digest IN (SELECT value FROM json_each(?))`,
    );
    this.#link = db.prepare('UPDATE session_chat_answers SET row_id = ?, live = 1 WHERE id = ?');
    this.#liveBefore = db.prepare(`SELECT row_id, digest, ${ANSWER_VALUE_COLUMNS} FROM session_chat_answers WHERE session_id = ? AND row_id < ? AND live = 1 ORDER BY row_id`);
    // Rows another program deleted (the SDK's pop_item or clear_session) leave live records behind:
    // the newest live record tells, one index step and one primary-key look-up.
    this.#newestLive = db.prepare(
      'SELECT EXISTS (SELECT 1 FROM agent_messages m WHERE m.id = a.row_id AND m.session_id = a.session_id) AS present ' +
        'FROM session_chat_answers a WHERE a.session_id = ? AND a.live = 1 ORDER BY a.row_id DESC LIMIT 1',
    );
    this.#joinedSum = db.prepare(
      `SELECT ${TOTALS_AGGREGATE} FROM session_chat_answers a WHERE a.session_id = ? AND a.live = 1 ` +
        'AND EXISTS (SELECT 1 FROM agent_messages m WHERE m.id = a.row_id AND m.session_id = a.session_id)',
    );
    this.#dropLost = db.prepare(
      'DELETE FROM session_chat_answers WHERE session_id = ? AND live = 1 ' +
        'AND NOT EXISTS (SELECT 1 FROM agent_messages m WHERE m.id = session_chat_answers.row_id AND m.session_id = session_chat_answers.session_id)',
    );
    this.#copy = db.prepare(`INSERT INTO session_chat_answers (session_id, row_id, digest, ${ANSWER_VALUE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  }

  /** Records `answer` for the row `rowId` (text `data`) of a thread the catalogue knows. */
  record(threadId: string, rowId: number, data: string, answer: AnswerRecord, now: number): void {
    if (this.#insert.run(threadId, rowId, rowDigest(data), ...answerValues(answer, now), threadId).changes > 0) this.#add(threadId, answerDelta(answer));
  }

  /** `page` with the records of its turns; one range read on (session_id, row_id). */
  withAnswers(threadId: string, page: ItemPage): ItemPage {
    if (page.items.length === 0) return page;
    const rows = this.#inRange.all(threadId, page.items[0]!.rowId, page.items.at(-1)!.rowId);
    const answers = pageAnswers(page.items, rows);
    return answers ? { ...page, answers } : page;
  }

  /**
   * The sum over the thread's live records: its totals row, unless another program deleted the
   * newest one's row; then summed over the records whose rows are there (until {@link heal}).
   * Undefined when none.
   */
  usage(threadId: string): ThreadUsage | undefined {
    const totals = toThreadUsage(this.#totals.get(threadId));
    if (!totals || this.#lostNewest(threadId)) return totals && toThreadUsage(this.#joinedSum.get(threadId));
    return totals;
  }

  /** Forgets records whose rows another program deleted, and sums the thread again; cheap when there are none. */
  heal(threadId: string): void {
    if (!this.#lostNewest(threadId)) return;
    this.#dropLost.run(threadId);
    this.#recompute.run(threadId, threadId);
  }

  #lostNewest(threadId: string): boolean {
    const newest = this.#newestLive.get(threadId);
    return newest !== undefined && Number(newest.present) === 0;
  }

  /** The rows from `fromRowId` on are being taken away to be kept (Undo, Clear, a version hidden): their records wait. */
  away(threadId: string, fromRowId: number): void {
    const delta = totalsDelta(this.#liveSum.get(threadId, fromRowId, END), -1);
    if (delta[0] === 0) return;
    this.#setAway.run(threadId, fromRowId);
    this.#add(threadId, delta);
  }

  /** The rows from `fromRowId` through `toRowId` are gone for good (replaced, cleared for good, popped): so are their records. */
  forget(threadId: string, fromRowId: number, toRowId: number = END): void {
    const delta = totalsDelta(this.#liveSum.get(threadId, fromRowId, toRowId), -1);
    this.#delete.run(threadId, fromRowId, toRowId);
    if (delta[0] !== 0) this.#add(threadId, delta);
  }

  /** True when the thread has records (live or waiting): one index probe. */
  has(threadId: string): boolean {
    return this.#any.get(threadId) !== undefined;
  }

  /**
   * Re-links the records waiting for `rows`, which were just appended, in order, after the row
   * `before` (Redo, the undo of a Clear, a version shown again); `rows` may be the JSON array of
   * them, parsed only when needed. One index probe when no record waits.
   */
  relink(threadId: string, before: number, rows: readonly string[] | string): void {
    if (rows.length === 0 || this.#anyWaiting.get(threadId) === undefined) return;
    const texts = typeof rows === 'string' ? (JSON.parse(rows) as string[]) : rows;
    const ids = this.#idsAfter.all(threadId, before).map(Number);
    if (ids.length !== texts.length) return;
    const digests = texts.map(rowDigest);
    const waiting = this.#waiting.all(threadId, JSON.stringify([...new Set(digests)]));
    if (waiting.length === 0) return;
    const restored = ids.map((id, i) => ({ id, data: texts[i]! }));
    const links = matchRestored(restored, digests, waiting.map((row) => ({ key: Number(row.key), digest: row.digest as string })));
    const linked = new Set(links.map((link) => link.key));
    for (const link of links) this.#link.run(link.rowId, link.key);
    this.#add(threadId, recordsDelta(waiting.filter((row) => linked.has(Number(row.key)))));
  }

  /**
   * Copies the records of `from`'s rows before `end` to the new thread `to`, whose rows are copies
   * of those rows in the same order (a fork), and sums them.
   */
  copy(from: string, end: number, to: string): void {
    if (!this.has(from)) return;
    const fromIds = this.#idsBefore.all(from, end).map(Number);
    const toIds = this.#idsAfter.all(to, 0).map(Number);
    if (toIds.length !== fromIds.length) return;
    const position = new Map(fromIds.map((id, i) => [id, i]));
    for (const row of this.#liveBefore.all(from, end)) {
      const at = position.get(Number(row.row_id));
      if (at === undefined) continue;
      const values = ['digest', ...ANSWER_VALUE_COLUMNS.split(', ')].map((column) => row[column] as SqlValue);
      this.#copy.run(to, toIds[at]!, ...values);
    }
    this.#recompute.run(to, to);
  }

  #add(threadId: string, delta: TotalsDelta): void {
    if (delta[0] !== 0) this.#adjust.run(threadId, ...delta, threadId);
  }
}
