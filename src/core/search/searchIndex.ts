import { parseItem } from '../session/session.ts';
import type { Database, Row, Statement } from '../session/sqliteDriver.ts';
import type { SearchHit, SearchIndexStatus, SearchOptions } from '../store/historyStore.ts';
import { TURN_START } from '../threads/threadSchema.ts';
import { foldText } from './fold.ts';
import { searchable } from './searchableText.ts';
import { searchTerms } from './searchQuery.ts';
import type { SearchTerms } from './searchQuery.ts';
import { snippetOf } from './snippet.ts';

/** Hits a search returns unless asked otherwise. */
export const DEFAULT_LIMIT = 50;

/**
 * Rows a search indexes itself before answering; with more pending, the host's background job
 * (`indexPending` in slices) catches up and searches meanwhile answer from what is indexed.
 */
export const CATCH_UP_AT_SEARCH = 2000;

/** Keeps `?` placeholders for what varies (never user text in SQL): every term must occur in the folded body. */
const SHORT_TERMS = 'NOT EXISTS (SELECT 1 FROM json_each(?) WHERE instr(s.body, value) = 0)';
const MATCH = 'session_chat_search MATCH ?';

/** SQLite's `CURRENT_TIMESTAMP` text (UTC, 'YYYY-MM-DD HH:MM:SS') to epoch ms. */
function sqliteTimeToMs(value: unknown, fallback: number): number {
  if (typeof value !== 'string') return fallback;
  const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? fallback : ms;
}

/** The three shapes a search takes: trigram terms only, both kinds, short terms only (a scan). */
interface QueryShapes {
  match: Statement;
  matchAndShort: Statement;
  short: Statement;
}

function shapes(db: Database, build: (where: string) => string): QueryShapes {
  return {
    match: db.prepare(build(MATCH)),
    matchAndShort: db.prepare(build(`${MATCH} AND ${SHORT_TERMS}`)),
    short: db.prepare(build(SHORT_TERMS)),
  };
}

/** The parameters of a shape's `where`, in order, and the shape to run. */
function pick(shapes: QueryShapes, terms: SearchTerms): { statement: Statement; params: string[] } {
  if (terms.match === '') return { statement: shapes.short, params: [terms.short] };
  if (!terms.hasShort) return { statement: shapes.match, params: [terms.match] };
  return { statement: shapes.matchAndShort, params: [terms.match, terms.short] };
}

/**
 * The full-text index over the SDK's `agent_messages`, kept in tables of our own (an FTS5 table
 * with the trigram tokenizer, and a watermark): nothing is added to the SDK's tables, so any
 * SQLite can still write them. Rows are indexed after they are written, in id order, up to the
 * watermark (the highest row id seen); rows any program wrote later are caught up by
 * {@link catchUp}. Our own deletes take their entries out in the same transaction
 * ({@link forgetFrom}, {@link forgetRow}); rows another program deleted are left out of hits by
 * the join on `agent_messages` (its ids are AUTOINCREMENT, never reused).
 *
 * The indexed body is the item's searchable text folded by fold.ts (lower case, no diacritics,
 * whitespace as one space), and the tokenizer is told to take it as it is (`case_sensitive 1`):
 * one folding, in JavaScript, for the index, the query and the highlights.
 */
export class SearchIndex {
  readonly #db: Database;
  readonly #watermark: Statement;
  readonly #setWatermark: Statement;
  readonly #rowsAfter: Statement;
  readonly #countAfter: Statement;
  readonly #countSomeAfter: Statement;
  readonly #countUpTo: Statement;
  readonly #insert: Statement;
  readonly #forgetFrom: Statement;
  readonly #forgetRow: Statement;
  readonly #hits: QueryShapes;
  readonly #inThread: QueryShapes;
  readonly #rowData: Statement;
  readonly #turnStart: Statement;
  readonly #firstReadable: Statement;

  constructor(db: Database) {
    this.#db = db;
    this.#watermark = db.prepare('SELECT indexed_through AS id FROM session_chat_search_state WHERE id = 1');
    this.#setWatermark = db.prepare('UPDATE session_chat_search_state SET indexed_through = ? WHERE id = 1');
    this.#rowsAfter = db.prepare('SELECT id, message_data AS data FROM agent_messages WHERE id > ? ORDER BY id LIMIT ?');
    this.#countAfter = db.prepare('SELECT count(*) AS n FROM agent_messages WHERE id > ?');
    this.#countSomeAfter = db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM agent_messages WHERE id > ? LIMIT ?)');
    this.#countUpTo = db.prepare('SELECT count(*) AS n FROM agent_messages WHERE id <= ?');
    this.#insert = db.prepare('INSERT INTO session_chat_search (rowid, body) VALUES (?, ?)');
    this.#forgetFrom = db.prepare('DELETE FROM session_chat_search WHERE rowid IN (SELECT id FROM agent_messages WHERE session_id = ? AND id >= ?)');
    this.#forgetRow = db.prepare('DELETE FROM session_chat_search WHERE rowid = ?');
    // Sorting carries ids and thread fields only; the ≤ limit hits' JSON is read afterwards by id.
    this.#hits = shapes(
      db,
      (where) =>
        'SELECT m.id AS id, m.session_id AS thread_id, m.created_at AS created_at, t.title AS title, t.workspace_key AS workspace_key, ' +
        't.pinned AS pinned, t.updated_at AS updated_at FROM session_chat_search s JOIN agent_messages m ON m.id = s.rowid ' +
        `JOIN session_chat_threads t ON t.id = m.session_id WHERE ${where} ORDER BY t.pinned DESC, t.workspace_key IS ? DESC, m.id DESC LIMIT ?`,
    );
    this.#inThread = shapes(
      db,
      (where) => `SELECT m.id AS id FROM session_chat_search s JOIN agent_messages m ON m.id = s.rowid WHERE ${where} AND m.session_id = ? ORDER BY m.id`,
    );
    this.#rowData = db.prepare('SELECT message_data AS data FROM agent_messages WHERE id = ?');
    this.#turnStart = db.prepare(`SELECT id FROM agent_messages WHERE session_id = ? AND id <= ? AND ${TURN_START} ORDER BY id DESC LIMIT 1`);
    this.#firstReadable = db.prepare('SELECT id FROM agent_messages WHERE session_id = ? AND json_valid(message_data) ORDER BY id LIMIT 1');
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
      for (const row of rows) {
        const item = parseItem(row.data as string);
        const text = item ? searchable(item)?.text : undefined;
        if (text) this.#insert.run(Number(row.id), foldText(text));
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

  /** See `HistoryStore.search`; reads only what is indexed (the caller catches up first). */
  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const terms = searchTerms(query);
    if (terms.all.length === 0) return [];
    const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_LIMIT));
    if (limit === 0) return [];
    const { statement, params } = pick(this.#hits, terms);
    const hits: SearchHit[] = [];
    for (const row of statement.all(...params, options.workspaceKey ?? null, limit)) {
      const hit = this.#hit(row, terms.all);
      if (hit) hits.push(hit);
    }
    return hits;
  }

  /** See `HistoryStore.findInThread`. */
  findInThread(threadId: string, query: string): number[] {
    const terms = searchTerms(query);
    if (terms.all.length === 0) return [];
    const { statement, params } = pick(this.#inThread, terms);
    return statement.all(...params, threadId).map((row) => Number(row.id));
  }

  #hit(row: Row, terms: readonly string[]): SearchHit | undefined {
    const rowId = Number(row.id);
    const data = this.#rowData.get(rowId)?.data;
    const item = typeof data === 'string' ? parseItem(data) : undefined;
    const found = item ? searchable(item) : undefined;
    if (!found) return undefined;
    const threadId = row.thread_id as string;
    const turn = this.#turnStart.get(threadId, rowId) ?? this.#firstReadable.get(threadId);
    return {
      threadId,
      threadTitle: row.title as string,
      workspaceKey: row.workspace_key as string,
      pinned: Number(row.pinned) !== 0,
      rowId,
      turnId: turn ? Number(turn.id) : rowId,
      role: found.role,
      ...snippetOf(found.text, terms),
      at: sqliteTimeToMs(row.created_at, Number(row.updated_at)),
    };
  }
}
