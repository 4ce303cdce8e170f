import { randomUUID } from 'node:crypto';
import { ItemTable } from '../session/itemTable.ts';
import { parseItem } from '../session/session.ts';
import { openDatabase } from '../session/sqliteDriver.ts';
import type { Item, Session } from '../session/session.ts';
import type { Database, DriverName, OpenOptions, Row } from '../session/sqliteDriver.ts';
import { Adopter, DEFAULT_TITLE, NO_WORKSPACE } from './adoption.ts';
import { messageText, oneLine } from './itemText.ts';
import { isCorruptionError, moveAside, notADatabaseTwice } from './recovery.ts';
import type { Recovered } from './recovery.ts';
import { migrate } from './threadSchema.ts';
import { ThreadStatements } from './threadStatements.ts';
import { ThreadSession, TurnSession } from './threadSession.ts';
import { UndoStack } from './undoStack.ts';
import type { UndoResult } from './undoStack.ts';

export type { DriverName } from '../session/sqliteDriver.ts';
export type { UndoResult } from './undoStack.ts';

/** One thread of the catalogue. Times are epoch ms. */
export interface ThreadInfo {
  /** Equals the SDK session id its items are stored under. */
  id: string;
  /** The workspace it belongs to; '' for sessions adopted from a file the SDK wrote. */
  workspaceKey: string;
  title: string;
  createdAt: number;
  updatedAt: number;
}

const PREVIEW_LENGTH = 80;

function toThread(row: Row): ThreadInfo {
  return {
    id: row.id as string,
    workspaceKey: row.workspace_key as string,
    title: row.title as string,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/**
 * The chat's catalogue over one SQLite file: threads per workspace, their items (in the SDK's
 * tables), the current thread of each workspace, and a persistent undo/redo stack. Synchronous:
 * every call is one short transaction on a local file.
 */
export class ThreadStore {
  readonly driver: DriverName;
  readonly dbPath: string;
  /** Set when the file was unreadable and moved aside: where it went, and why, for a user-facing message. */
  readonly recovered?: Recovered;
  /** Set when better-sqlite3 could not load and node:sqlite runs instead: why, for the log. */
  readonly driverFallbackReason?: string;
  readonly #db: Database;
  readonly #items: ItemTable;
  readonly #undo: UndoStack;
  readonly #adopter: Adopter;
  readonly #sql: ThreadStatements;
  #lastTime = 0;

  private constructor(dbPath: string, db: Database, fallbackReason?: string, recovered?: Recovered) {
    this.dbPath = dbPath;
    this.driver = db.driver;
    this.#db = db;
    if (fallbackReason !== undefined) this.driverFallbackReason = fallbackReason;
    if (recovered) this.recovered = recovered;
    migrate(db);
    this.#items = new ItemTable(db);
    this.#undo = new UndoStack(db, this.#items);
    this.#adopter = new Adopter(db);
    this.#sql = new ThreadStatements(db);
    this.#adopter.adoptAll();
  }

  /**
   * Opens (creating, migrating and adopting as needed) the store at `dbPath`. A file that is not
   * a database or is corrupt is moved aside and replaced by a fresh one; `recovered` says so.
   */
  static open(dbPath: string, options: OpenOptions = {}): ThreadStore {
    const notDatabase = notADatabaseTwice(dbPath);
    if (notDatabase !== undefined) return ThreadStore.#connect(dbPath, options, moveAside(dbPath, notDatabase));
    try {
      return ThreadStore.#connect(dbPath, options);
    } catch (err) {
      if (dbPath === ':memory:' || !isCorruptionError(err)) throw err;
      return ThreadStore.#connect(dbPath, options, moveAside(dbPath, err));
    }
  }

  static #connect(dbPath: string, options: OpenOptions, recovered?: Recovered): ThreadStore {
    const { db, fallbackReason } = openDatabase(dbPath, options);
    try {
      return new ThreadStore(dbPath, db, fallbackReason, recovered);
    } catch (err) {
      db.close();
      throw err;
    }
  }

  /**
   * Epoch ms, strictly increasing within this process, so "newest first" follows the order of
   * activity even within one millisecond. (Across processes, ties fall back to insertion order.)
   */
  #nextTime(): number {
    this.#lastTime = Math.max(Date.now(), this.#lastTime + 1);
    return this.#lastTime;
  }

  close(): void {
    this.#db.close();
  }

  /** The SDK contract for one thread, on this store's connection. */
  session(threadId: string): Session {
    return new ThreadSession(threadId, this);
  }

  /** All items oldest first, or the latest `limit` (the SDK's `getItems(limit)` semantics). */
  getItems(threadId: string, limit?: number): Item[] {
    return limit === undefined ? this.#items.all(threadId) : this.#items.latest(threadId, limit);
  }

  /** Appends in one transaction, drops the thread's undo/redo stack and bumps `updatedAt`. */
  addItems(threadId: string, items: Item[]): void {
    if (items.length === 0) return;
    const rows = items.map((item) => JSON.stringify(item));
    this.#db.transaction(() => {
      this.#undo.drop(threadId);
      this.#items.appendRows(threadId, rows);
      // Items for a thread the catalogue does not know (an SDK run with a fresh id) adopt it.
      if (this.#sql.touch.run(this.#nextTime(), threadId).changes === 0) this.#adopter.adoptAll();
    });
  }

  /**
   * The answer to a turn: appended (like {@link addItems}) only while the thread's newest user
   * message is still the row the turn started from; false, storing nothing, when the turn was
   * undone, cleared or followed by another question meanwhile (e.g. from another window).
   */
  addItemsToTurn(threadId: string, turnRowId: number | undefined, items: Item[]): boolean {
    return this.#db.transaction(() => {
      if (this.#undo.newestUserRowId(threadId) !== turnRowId) return false;
      this.addItems(threadId, items);
      return true;
    });
  }

  /**
   * A session for answering the thread's current last turn: reads like {@link session}; its
   * `addItems` goes through {@link addItemsToTurn}, and `discarded` tells whether it refused.
   */
  turnSession(threadId: string): TurnSession {
    return new TurnSession(threadId, this, this.#undo.newestUserRowId(threadId));
  }

  /** The SDK's `popItem`: removes the newest item; leaves the undo/redo stack alone. */
  popItem(threadId: string): Item | undefined {
    return this.#items.pop(threadId);
  }

  /** The SDK's `clearSession`: removes every item for good (not undoable) and drops the stack. */
  clearItems(threadId: string): void {
    this.#db.transaction(() => {
      this.#undo.drop(threadId);
      this.#items.clear(threadId);
    });
  }

  listThreads(workspaceKey?: string): ThreadInfo[] {
    this.#adopter.adoptAll();
    const rows = workspaceKey === undefined ? this.#sql.listAll.all() : this.#sql.listWorkspace.all(workspaceKey);
    return rows.map(toThread);
  }

  getThread(threadId: string): ThreadInfo | undefined {
    const row = this.#sql.get.get(threadId);
    return row ? toThread(row) : undefined;
  }

  createThread(workspaceKey: string, title?: string): ThreadInfo {
    const id = randomUUID();
    const name = title?.trim() || DEFAULT_TITLE;
    return this.#db.transaction(() => {
      const now = this.#nextTime();
      this.#items.ensureSession(id);
      this.#sql.insert.run(id, workspaceKey, name, now, now);
      return { id, workspaceKey, title: name, createdAt: now, updatedAt: now };
    });
  }

  renameThread(threadId: string, title: string): ThreadInfo {
    const name = title.trim();
    if (name === '') throw new Error('A thread title cannot be empty.');
    if (this.#sql.rename.run(name, threadId).changes === 0) throw new Error(`No thread ${threadId}.`);
    return this.getThread(threadId)!;
  }

  /** Deletes the thread, its items, its undo/redo stack and current-thread pointers to it. */
  deleteThread(threadId: string): void {
    this.#db.transaction(() => {
      this.#items.clear(threadId);
      // Cascades (foreign_keys=ON) to the thread row, its undo entries and current pointers.
      this.#sql.deleteSession.run(threadId);
    });
  }

  currentThreadId(workspaceKey: string): string | undefined {
    return this.#sql.getCurrent.get(workspaceKey)?.thread_id as string | undefined;
  }

  setCurrentThread(workspaceKey: string, threadId: string): void {
    this.#sql.setCurrent.run(workspaceKey, threadId);
  }

  undoTurn(threadId: string): UndoResult | undefined {
    return this.#undo.undo(threadId);
  }

  redoTurn(threadId: string): Item[] | undefined {
    return this.#undo.redo(threadId);
  }

  /** Restores a Clear only while it is the thread's latest change; `undefined` otherwise. */
  undoClear(threadId: string): Item[] | undefined {
    return this.#undo.undoClear(threadId);
  }

  /** Removes all items, kept so {@link undoTurn} can restore them; returns how many. */
  clearThread(threadId: string): number {
    return this.#undo.clear(threadId);
  }

  canUndo(threadId: string): boolean {
    return this.#undo.canUndo(threadId);
  }

  canRedo(threadId: string): boolean {
    return this.#undo.canRedo(threadId);
  }

  /** The newest user or assistant message text on one line, at most 80 characters; '' if none. */
  preview(threadId: string): string {
    for (const row of this.#sql.newestMessages.all(threadId)) {
      const item = parseItem(row.data as string);
      const text = item ? oneLine(messageText(item), PREVIEW_LENGTH) : '';
      if (text !== '') return text;
    }
    return '';
  }
}

export { NO_WORKSPACE };
