import { parseItem } from './session.ts';
import type { Item } from './session.ts';
import type { ColumnStatement, Database, Statement } from './sqliteDriver.ts';

/** A stored row: its id (the only order that counts) and its JSON text. */
export interface StoredRow {
  id: number;
  data: string;
}

/**
 * The prepared statements over the SDK's `agent_messages` / `agent_sessions` tables, shared by
 * `SqliteSession` and the thread store. Order is always by `id`: timestamps have one-second
 * resolution and ties are common. Rows that are not JSON objects are skipped by every read.
 */
export class ItemTable {
  readonly db: Database;
  readonly #ensureSession: Statement;
  readonly #touchSession: Statement;
  readonly #insert: Statement;
  readonly #selectAllData: ColumnStatement;
  readonly #selectLatestData: ColumnStatement;
  readonly #selectLatest: Statement;
  readonly #selectLatestBefore: Statement;
  readonly #selectFrom: Statement;
  readonly #deleteById: Statement;
  readonly #deleteFrom: Statement;
  readonly #deleteAll: Statement;

  constructor(db: Database) {
    this.db = db;
    this.#ensureSession = db.prepare('INSERT OR IGNORE INTO agent_sessions (session_id) VALUES (?)');
    this.#touchSession = db.prepare('UPDATE agent_sessions SET updated_at = CURRENT_TIMESTAMP WHERE session_id = ?');
    this.#insert = db.prepare('INSERT INTO agent_messages (session_id, message_data) VALUES (?, ?)');
    // Reads take the JSON text alone, one string a row: building a row object around each
    // string cost a reader about a tenth more than the driver's own floor.
    this.#selectAllData = db.prepareColumn('SELECT message_data FROM agent_messages WHERE session_id = ? ORDER BY id');
    this.#selectLatestData = db.prepareColumn('SELECT message_data FROM agent_messages WHERE session_id = ? ORDER BY id DESC LIMIT ?');
    this.#selectLatest = db.prepare('SELECT id, message_data AS data FROM agent_messages WHERE session_id = ? ORDER BY id DESC LIMIT ?');
    this.#selectLatestBefore = db.prepare('SELECT id, message_data AS data FROM agent_messages WHERE session_id = ? AND id < ? ORDER BY id DESC LIMIT ?');
    this.#selectFrom = db.prepare('SELECT id, message_data AS data FROM agent_messages WHERE session_id = ? AND id >= ? ORDER BY id');
    this.#deleteById = db.prepare('DELETE FROM agent_messages WHERE id = ?');
    this.#deleteFrom = db.prepare('DELETE FROM agent_messages WHERE session_id = ? AND id >= ?');
    this.#deleteAll = db.prepare('DELETE FROM agent_messages WHERE session_id = ?');
  }

  /** Makes sure the `agent_sessions` row exists (the messages' foreign key needs it). */
  ensureSession(sessionId: string): void {
    this.#ensureSession.run(sessionId);
  }

  /** Appends rows of JSON text in one transaction and bumps the session's `updated_at`. */
  addRows(sessionId: string, rows: readonly string[]): void {
    if (rows.length === 0) return;
    this.db.transaction(() => this.appendRows(sessionId, rows));
  }

  /**
   * {@link addRows} for a caller already inside a transaction: a nested one would cost a
   * savepoint, which is a good part of a small write's time. Returns the last row's id.
   */
  appendRows(sessionId: string, rows: readonly string[]): number | undefined {
    if (rows.length === 0) return undefined;
    this.#ensureSession.run(sessionId);
    let lastRowId = 0;
    for (const row of rows) lastRowId = Number(this.#insert.run(sessionId, row).lastInsertRowid);
    this.#touchSession.run(sessionId);
    return lastRowId;
  }

  /** Serialises and appends items; serialising first means a bad item writes nothing. */
  add(sessionId: string, items: readonly Item[]): void {
    this.addRows(sessionId, items.map((item) => JSON.stringify(item)));
  }

  /** Every item, oldest first. */
  all(sessionId: string): Item[] {
    const items: Item[] = [];
    for (const data of this.#selectAllData.all(sessionId)) {
      const item = parseItem(data as string);
      if (item) items.push(item);
    }
    return items;
  }

  /** The latest `limit` valid items, oldest first; corrupt rows do not count towards the limit. */
  latest(sessionId: string, limit: number): Item[] {
    if (limit <= 0) return [];
    const rows = this.#selectLatestData.all(sessionId, limit);
    const items: Item[] = [];
    for (const data of rows) {
      const item = parseItem(data as string);
      if (item) items.push(item);
    }
    // A short page is the whole history. A full page short of valid items had corrupt rows in
    // it: read again by id, which can page past them (rare, so the fast path carries no ids).
    if (items.length === limit || rows.length < limit) return items.reverse();
    return this.#latestSkippingCorrupt(sessionId, limit);
  }

  #latestSkippingCorrupt(sessionId: string, limit: number): Item[] {
    const items: Item[] = [];
    let asked = limit;
    let rows = this.#selectLatest.all(sessionId, asked);
    for (;;) {
      for (const row of rows) {
        const item = parseItem(row.data as string);
        if (item) items.push(item);
      }
      const missing = limit - items.length;
      if (missing <= 0 || rows.length < asked) break;
      asked = missing;
      rows = this.#selectLatestBefore.all(sessionId, rows[rows.length - 1]!.id as number, asked);
    }
    return items.reverse();
  }

  /**
   * Removes and returns the newest valid item. Corrupt rows newer than it are left in place:
   * they are invisible to every read, and keeping them leaves something to inspect or repair.
   */
  pop(sessionId: string): Item | undefined {
    return this.db.transaction(() => {
      let row = this.#selectLatest.get(sessionId, 1);
      while (row) {
        const item = parseItem(row.data as string);
        if (item) {
          this.#deleteById.run(row.id as number);
          return item;
        }
        row = this.#selectLatestBefore.get(sessionId, row.id as number, 1);
      }
      return undefined;
    });
  }

  /** Rows (raw text, corrupt ones included) from `fromId` on, oldest first. */
  rowsFrom(sessionId: string, fromId: number): StoredRow[] {
    return this.#selectFrom.all(sessionId, fromId).map((row) => ({ id: row.id as number, data: row.data as string }));
  }

  /** Deletes rows from `fromId` on; returns how many. */
  deleteFrom(sessionId: string, fromId: number): number {
    return Number(this.#deleteFrom.run(sessionId, fromId).changes);
  }

  /** Deletes every row of the session; returns how many. */
  clear(sessionId: string): number {
    return Number(this.#deleteAll.run(sessionId).changes);
  }
}
