import { parseItem } from '../session/session.ts';
import type { Database, Statement } from '../session/sqliteDriver.ts';
import type { SearchHit, SearchIndexStatus, SearchOptions } from '../store/historyStore.ts';
import { foldText } from './fold.ts';
import { searchable } from './searchableText.ts';
import { SearchKeys } from './searchKeys.ts';
import { SearchReader } from './searchReader.ts';

/**
 * Rows a search indexes itself before answering; with more pending, the host's background job
 * (`indexPending` in slices) catches up, and searches meanwhile answer from what is indexed.
 */
export const CATCH_UP_AT_SEARCH = 2000;

/**
 * The full-text index over the SDK's `agent_messages`, in tables of our own (schema version 3):
 * - `session_chat_search`, FTS5 with the trigram tokenizer, rowid = `agent_messages.id`, over
 *   the item's searchable text folded by fold.ts, taken as it is (`case_sensitive 1`): one
 *   folding, in JavaScript, for the index, the query and the highlights. `detail=none` (which
 *   rows hold a trigram, not where: a fifth of the size and half the build time of positions)
 *   and contentless (the text is in `agent_messages` already): it names candidates, and
 *   searchHits.ts checks each against the item's text. Each row also carries tokens naming its
 *   thread and workspace (searchKeys.ts), so FTS5 itself narrows a search to a group of threads;
 * - `session_chat_search_keys`: the numbers behind those tokens;
 * - `session_chat_search_state`: the watermark, the highest row id indexed.
 * Nothing is added to the SDK's tables (no trigger, index or module), so any SQLite can still
 * write them. Rows are indexed after they are written, in id order, by {@link catchUp}, whoever
 * wrote them. Our own deletes take their entries out in the same transaction ({@link forgetFrom},
 * {@link forgetRow}); rows another program deleted are left out of results (their ids are
 * AUTOINCREMENT, never reused, so an old entry can never name a new row).
 */
export class SearchIndex {
  readonly #db: Database;
  readonly #reader: SearchReader;
  readonly #keys: SearchKeys;
  readonly #watermark: Statement;
  readonly #setWatermark: Statement;
  readonly #rowsAfter: Statement;
  readonly #countAfter: Statement;
  readonly #countSomeAfter: Statement;
  readonly #countUpTo: Statement;
  readonly #insert: Statement;
  readonly #forgetFrom: Statement;
  readonly #forgetRow: Statement;

  constructor(db: Database) {
    this.#db = db;
    this.#keys = new SearchKeys(db);
    this.#reader = new SearchReader(db, this.#keys);
    this.#watermark = db.prepare('SELECT indexed_through AS id FROM session_chat_search_state WHERE id = 1');
    this.#setWatermark = db.prepare('UPDATE session_chat_search_state SET indexed_through = ? WHERE id = 1');
    this.#rowsAfter = db.prepare('SELECT id, session_id, message_data AS data FROM agent_messages WHERE id > ? ORDER BY id LIMIT ?');
    this.#countAfter = db.prepare('SELECT count(*) AS n FROM agent_messages WHERE id > ?');
    this.#countSomeAfter = db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM agent_messages WHERE id > ? LIMIT ?)');
    this.#countUpTo = db.prepare('SELECT count(*) AS n FROM agent_messages WHERE id <= ?');
    this.#insert = db.prepare('INSERT INTO session_chat_search (rowid, body) VALUES (?, ?)');
    this.#forgetFrom = db.prepare('DELETE FROM session_chat_search WHERE rowid IN (SELECT id FROM agent_messages WHERE session_id = ? AND id >= ?)');
    this.#forgetRow = db.prepare('DELETE FROM session_chat_search WHERE rowid = ?');
  }

  /** The highest `agent_messages` id the index has seen. */
  watermark(): number {
    return Number(this.#watermark.get()?.id ?? 0);
  }

  status(): SearchIndexStatus {
    const watermark = this.watermark();
    return { pending: Number(this.#countAfter.get(watermark)?.n ?? 0), indexed: Number(this.#countUpTo.get(watermark)?.n ?? 0) };
  }

  /** Rows not indexed yet. */
  pending(): number {
    return Number(this.#countAfter.get(this.watermark())?.n ?? 0);
  }

  /** Indexes up to `maxRows` rows past the watermark in one transaction; returns how many it read. */
  catchUp(maxRows: number): number {
    const limit = Math.max(0, Math.floor(maxRows));
    if (limit === 0) return 0;
    return this.#db.transaction(() => {
      // Read inside the write transaction: two windows catching up at once index each row once.
      const rows = this.#rowsAfter.all(this.watermark(), limit);
      const tokens = new Map<string, string>();
      for (const row of rows) {
        const item = parseItem(row.data as string);
        const text = item ? searchable(item)?.text : undefined;
        if (!text) continue;
        // Two spaces after the text, so every character of it starts a trigram (see SearchReader).
        this.#insert.run(Number(row.id), `${foldText(text)}  ${this.#keys.rowTokens(row.session_id as string, tokens)}`);
      }
      if (rows.length > 0) this.#setWatermark.run(Number(rows.at(-1)!.id));
      return rows.length;
    });
  }

  /** Catches up when at most `limit` rows are pending (a search's own small catch-up); returns whether it did. */
  catchUpIfFew(limit: number = CATCH_UP_AT_SEARCH): boolean {
    const pending = Number(this.#countSomeAfter.get(this.watermark(), limit + 1)?.n ?? 0);
    if (pending === 0 || pending > limit) return false;
    this.catchUp(limit);
    return true;
  }

  /** Takes out the entries of a thread's rows from `fromId` on; call inside the transaction that deletes them. */
  forgetFrom(threadId: string, fromId: number): void {
    this.#forgetFrom.run(threadId, fromId);
  }

  /** Takes out one row's entry; call inside the transaction that deletes it. */
  forgetRow(rowId: number): void {
    this.#forgetRow.run(rowId);
  }

  /** See `HistoryStore.search`; reads what is indexed (the caller catches up first). */
  search(query: string, options?: SearchOptions): SearchHit[] {
    return this.#reader.search(query, options);
  }

  /** See `HistoryStore.findInThread`. */
  findInThread(threadId: string, query: string): number[] {
    return this.#reader.findInThread(threadId, query);
  }
}
