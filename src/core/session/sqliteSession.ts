import { ItemTable } from './itemTable.ts';
import { toAgentsJsItems, toStoredItem, type ItemShape } from './sdkItemShape.ts';
import { ensureSdkSchema } from './sdkSchema.ts';
import { openDatabase } from './sqliteDriver.ts';
import type { Item, Session } from './session.ts';
import type { Database, DriverName } from './sqliteDriver.ts';

/** Options for {@link SqliteSession}; the defaults match the SDK's `SQLiteSession`. */
export interface SqliteSessionOptions {
  /** Force a driver (tests run the contract on both); else `SESSION_CHAT_SQLITE_DRIVER`, else better-sqlite3. */
  driver?: DriverName;
  /**
   * `'agents-js'` for the TS SDK's `run()`: tool items are read in its shape and stored in the
   * Responses API's (the Python SDK's) shape; see `sdkItemShape.ts`. Default `'stored'`: rows as they are.
   */
  itemShape?: ItemShape;
}

/**
 * A {@link Session} in the Agents SDK's SQLite layout, usable exactly like the SDK's
 * `SQLiteSession("user_123", "conversations.db")`. Many sessions can share one file (each opens
 * its own connection, and WAL plus `busy_timeout` serialise writers across processes); every
 * `':memory:'` instance is a database of its own. `T` is the caller's item type (see
 * {@link Session}): `new SqliteSession<AgentInputItem>(…)` is accepted by the SDK's `run()` as is.
 */
export class SqliteSession<T extends object = Item> implements Session<T> {
  readonly #sessionId: string;
  readonly #db: Database;
  readonly #items: ItemTable;
  readonly #shape: ItemShape;

  constructor(sessionId: string, dbPath: string = ':memory:', options: SqliteSessionOptions = {}) {
    this.#sessionId = sessionId;
    this.#shape = options.itemShape ?? 'stored';
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

  // Rows hold whatever JSON objects were added; `T` is the caller's claim about their shape.
  async getItems(limit?: number): Promise<T[]> {
    const items = limit === undefined ? this.#items.all(this.#sessionId) : this.#items.latest(this.#sessionId, limit);
    return (this.#shape === 'agents-js' ? toAgentsJsItems(items) : items) as T[];
  }

  async addItems(items: T[]): Promise<void> {
    const rows = items as unknown as Item[];
    this.#items.add(this.#sessionId, this.#shape === 'agents-js' ? rows.map(toStoredItem) : rows);
  }

  async popItem(): Promise<T | undefined> {
    const item = this.#items.pop(this.#sessionId);
    return (item && this.#shape === 'agents-js' ? toAgentsJsItems([item])[0] : item) as T | undefined;
  }

  async clearSession(): Promise<void> {
    this.#db.transaction(() => this.#items.clear(this.#sessionId));
  }

  /** Closes this session's connection; the data stays in the file. */
  close(): void {
    this.#db.close();
  }
}
