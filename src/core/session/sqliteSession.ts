import { ItemTable } from './itemTable.ts';
import { ensureSdkSchema } from './sdkSchema.ts';
import { openDatabase } from './sqliteDriver.ts';
import type { Item, Session } from './session.ts';
import type { Database, DriverName } from './sqliteDriver.ts';

/** Options for {@link SqliteSession}; the defaults match the SDK's `SQLiteSession`. */
export interface SqliteSessionOptions {
  /** Force a driver (tests run the contract on both); else `SESSION_CHAT_SQLITE_DRIVER`, else better-sqlite3. */
  driver?: DriverName;
}

/**
 * A {@link Session} in the Agents SDK's SQLite layout, usable exactly like the SDK's
 * `SQLiteSession("user_123", "conversations.db")`. Many sessions can share one file (each opens
 * its own connection, and WAL plus `busy_timeout` serialise writers across processes); every
 * `':memory:'` instance is a database of its own.
 */
export class SqliteSession implements Session {
  readonly #sessionId: string;
  readonly #db: Database;
  readonly #items: ItemTable;

  constructor(sessionId: string, dbPath: string = ':memory:', options: SqliteSessionOptions = {}) {
    this.#sessionId = sessionId;
    this.#db = openDatabase(dbPath, options).db;
    try {
      ensureSdkSchema(this.#db);
      this.#items = new ItemTable(this.#db);
    } catch (err) {
      this.#db.close();
      throw err;
    }
  }

  /** Which SQLite binding this session runs on. */
  get driver(): DriverName {
    return this.#db.driver;
  }

  async getSessionId(): Promise<string> {
    return this.#sessionId;
  }

  async getItems(limit?: number): Promise<Item[]> {
    return limit === undefined ? this.#items.all(this.#sessionId) : this.#items.latest(this.#sessionId, limit);
  }

  async addItems(items: Item[]): Promise<void> {
    this.#items.add(this.#sessionId, items);
  }

  async popItem(): Promise<Item | undefined> {
    return this.#items.pop(this.#sessionId);
  }

  async clearSession(): Promise<void> {
    this.#db.transaction(() => this.#items.clear(this.#sessionId));
  }

  /** Closes this session's connection; the data stays in the file. */
  close(): void {
    this.#db.close();
  }
}
