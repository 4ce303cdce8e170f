import { createHash, randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { ItemTable } from '../session/itemTable.ts';
import { parseItem } from '../session/session.ts';
import { isBusyError, openDatabase, retryWhileBusy } from '../session/sqliteDriver.ts';
import type { Item, Session } from '../session/session.ts';
import type { Database, DriverName, OpenOptions, Row, Statement } from '../session/sqliteDriver.ts';
import { Adopter, DEFAULT_TITLE, NO_WORKSPACE } from './adoption.ts';
import { AnswerTable } from './answerTable.ts';
import { messageText, oneLine } from './itemText.ts';
import { SearchIndex } from '../search/searchIndex.ts';
import { salvageInto } from '../store/salvage.ts';
import { isCorruptionError, isFilePath, moveAsideAlone, moveOrphanWal, unreadableError } from './recovery.ts';
import type { Recovered } from './recovery.ts';
import { migrate, TURN_START } from './threadSchema.ts';
import { ThreadStatements } from './threadStatements.ts';
import { ThreadPages } from './threadPages.ts';
import { ThreadSession } from './threadSession.ts';
import { ThreadTransfer } from './threadTransfer.ts';
import type { ThreadRecord } from '../transfer/threadRecord.ts';
import { UndoStack } from './undoStack.ts';
import { VersionEdits } from '../versions/versionEdits.ts';
import { VersionTable } from '../versions/versionTable.ts';
import type {
  HistoryEditResult,
  HistoryTransaction,
  ImportThreadResult,
  ItemPage,
  NewVersionResult,
  SearchHit,
  SearchIndexStatus,
  SearchOptions,
  StoredItem,
  SwitchVersionResult,
  ThreadInfo,
  ThreadView,
  TransactionResult,
  TurnVersions,
  VersionTarget,
} from '../store/historyStore.ts';

export type { DriverName } from '../session/sqliteDriver.ts';
export type { ThreadInfo } from '../store/historyStore.ts';

const PREVIEW_LENGTH = 80;

/** `dev:ino` of the file at `path` (a stat, never an open); undefined when there is none. */
function fileIdOf(path: string): string | undefined {
  const stats = statSync(path, { throwIfNoEntry: false });
  return stats ? `${stats.dev}:${stats.ino}` : undefined;
}

/** A stored row's message text for a preview; '' for anything else. */
function previewText(data: unknown): string {
  const item = typeof data === 'string' ? parseItem(data) : undefined;
  // Long answers: only the start is shown, so only the start is flattened.
  return item ? oneLine(messageText(item).slice(0, PREVIEW_LENGTH * 4), PREVIEW_LENGTH) : '';
}

function toThread(row: Row): ThreadInfo {
  return {
    id: row.id as string,
    workspaceKey: row.workspace_key as string,
    title: row.title as string,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    pinned: Number(row.pinned) !== 0,
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
  readonly #pages: ThreadPages;
  readonly #search: SearchIndex;
  readonly #versions: VersionTable;
  readonly #edits: VersionEdits;
  readonly #transfer: ThreadTransfer;
  readonly #answers: AnswerTable;
  readonly #copyRows: Statement;
  readonly #nextTurnStart: Statement;
  readonly #isTurnStart: Statement;
  readonly #dataVersion: Statement;
  readonly #shownAfter: Statement;
  readonly #otherVersionBytes: Statement;
  /** Device and inode of the file this connection opened, to tell whether it is still the one at `dbPath`. */
  #fileId: string | undefined;
  #lastTime = 0;

  private constructor(dbPath: string, db: Database, fallbackReason?: string, recovered?: Recovered) {
    this.dbPath = dbPath;
    this.driver = db.driver;
    this.#db = db;
    if (fallbackReason !== undefined) this.driverFallbackReason = fallbackReason;
    if (recovered) this.recovered = recovered;
    migrate(db);
    this.#items = new ItemTable(db);
    this.#pages = new ThreadPages(db);
    this.#dataVersion = db.prepare('PRAGMA data_version');
    this.#search = new SearchIndex(db);
    this.#answers = new AnswerTable(db);
    this.#versions = new VersionTable(db, this.#search, this.#answers);
    this.#undo = new UndoStack(db, this.#items, this.#pages, this.#search, this.#versions, this.#answers);
    this.#adopter = new Adopter(db);
    this.#sql = new ThreadStatements(db);
    this.#edits = new VersionEdits(db, this.#versions, {
      lastRowId: (threadId) => this.#pages.lastRowId(threadId),
      changed: (threadId) => {
        this.#undo.drop(threadId);
        this.#sql.touch.run(this.#nextTime(), threadId);
      },
      takeRedo: (threadId) => this.#undo.takeRedo(threadId),
      putRedo: (threadId, redo) => this.#undo.putRedo(threadId, redo),
      now: () => Date.now(),
    });
    this.#transfer = new ThreadTransfer(db, this.#items, this.#versions, {
      getThread: (threadId) => this.getThread(threadId),
      appendChange: (threadId, rows) => this.#appendChange(threadId, rows),
      now: () => this.#nextTime(),
    });
    this.#copyRows = db.prepare(
      'INSERT INTO agent_messages (session_id, message_data) SELECT ?, message_data FROM agent_messages WHERE session_id = ? AND id < ? ORDER BY id',
    );
    this.#nextTurnStart = db.prepare(`SELECT id FROM agent_messages WHERE session_id = ? AND id > ? AND ${TURN_START} ORDER BY id LIMIT 1`);
    this.#isTurnStart = db.prepare(`SELECT id FROM agent_messages WHERE session_id = ? AND id = ? AND ${TURN_START}`);
    this.#shownAfter = db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM agent_messages WHERE session_id = ? AND id >= ? LIMIT ?)');
    this.#otherVersionBytes = db.prepare(
      'SELECT coalesce(max(octet_length(rows)), 0) AS n FROM session_chat_versions WHERE thread_id = ? AND rows IS NOT NULL AND ' +
        'anchor_row_id = coalesce((SELECT max(id) FROM agent_messages WHERE session_id = ? AND id < ?), 0)',
    );
    this.#adopter.adoptAll();
  }

  /**
   * Opens (creating, migrating and adopting as needed) the store at `dbPath`. A file that is not
   * a database or is corrupt is moved aside, what can still be read is copied into a fresh one,
   * and `recovered` says so; so it does when a `-wal` without its database was moved aside.
   * The file is looked at only through SQLite (see {@link unreadableError} for why).
   */
  static open(dbPath: string, options: OpenOptions = {}): ThreadStore {
    if (!isFilePath(dbPath)) return ThreadStore.#connect(dbPath, options);
    const orphan = moveOrphanWal(dbPath);
    if (orphan) return ThreadStore.#connectAfterMove(dbPath, options, orphan);
    const unreadable = unreadableError(dbPath, options);
    if (unreadable !== undefined) return ThreadStore.#replace(dbPath, options, unreadable);
    try {
      return ThreadStore.#connect(dbPath, options);
    } catch (err) {
      if (!isCorruptionError(err)) throw err;
      return ThreadStore.#replace(dbPath, options, err);
    }
  }

  /**
   * Recovers from damage found while the store runs (`err`, a corruption error from `damaged`):
   * closes `damaged`, moves its file aside, salvages what reads into a fresh file at the same path
   * and returns a store on it, whose `recovered` says what happened. Throws a `StoreOpenError`
   * (`damagedInUse`) without moving anything while another connection has the file open. When the
   * file at `dbPath` is no longer the one `damaged` had open (moved or replaced meanwhile), the
   * store opens on what is there now, and `recovered` is unset.
   */
  static recover(damaged: ThreadStore, err: unknown, options: OpenOptions = {}): ThreadStore {
    const { dbPath } = damaged;
    const sameFile = damaged.#fileId !== undefined && damaged.#fileId === fileIdOf(dbPath);
    try {
      damaged.close();
    } catch {
      // Already closed; the file is what matters.
    }
    if (!isFilePath(dbPath)) throw err;
    if (!sameFile) return retryWhileBusy(() => ThreadStore.open(dbPath, options));
    return ThreadStore.#replace(dbPath, options, err);
  }

  /**
   * Moves the unreadable file aside (only while nobody else has it open, see {@link moveAsideAlone}),
   * salvages it into a fresh one, and opens that.
   */
  static #replace(dbPath: string, options: OpenOptions, err: unknown): ThreadStore {
    const moved = moveAsideAlone(dbPath, err, options);
    // Another window moved it first (and tells its user): open what is there now.
    if (!moved) return retryWhileBusy(() => ThreadStore.open(dbPath, options));
    let salvaged = moved.salvaged;
    try {
      salvaged = retryWhileBusy(() => salvageInto(moved.movedTo, dbPath, options));
    } catch {
      // Salvage is a bonus: the moved file keeps everything, and the fresh store must open.
    }
    return ThreadStore.#connectAfterMove(dbPath, options, { ...moved, salvaged });
  }

  /**
   * After files were moved the store must open (and report the move): another window creating the
   * fresh file at the same moment makes it wait briefly instead of failing with SQLITE_BUSY (a
   * retry from scratch by an async caller would no longer know what was moved).
   */
  static #connectAfterMove(dbPath: string, options: OpenOptions, recovered: Recovered): ThreadStore {
    return retryWhileBusy(() => ThreadStore.#connect(dbPath, options, recovered));
  }

  static #connect(dbPath: string, options: OpenOptions, recovered?: Recovered): ThreadStore {
    const { db, fallbackReason } = openDatabase(dbPath, options);
    try {
      const store = new ThreadStore(dbPath, db, fallbackReason, recovered);
      store.#fileId = isFilePath(dbPath) ? fileIdOf(dbPath) : undefined;
      return store;
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

  /** SQLite's `data_version`: changes when another connection (window, process) commits to the file. */
  dataVersion(): number {
    return Number(this.#dataVersion.get()?.data_version ?? 0);
  }

  /** The SDK contract for one thread, on this store's connection. */
  session(threadId: string): Session {
    return new ThreadSession(threadId, this);
  }

  /** All items oldest first, or the latest `limit` (the SDK's `getItems(limit)` semantics). */
  getItems(threadId: string, limit?: number): Item[] {
    return limit === undefined ? this.#items.all(threadId) : this.#items.latest(threadId, limit);
  }

  /**
   * Appends in one transaction, drops the thread's undo/redo stack and bumps `updatedAt`; returns
   * the thread's newest row id (the question's, when `items` is a question).
   */
  addItems(threadId: string, items: Item[]): number {
    if (items.length === 0) return this.#pages.lastRowId(threadId);
    const rows = items.map((item) => JSON.stringify(item));
    return this.#db.transaction(() => this.#appendChange(threadId, rows));
  }

  /**
   * Any change other than undo/redo: the stack goes, the rows go in, the thread moves up the list.
   * Returns the thread's newest row id.
   */
  #appendChange(threadId: string, rows: readonly string[]): number {
    this.#undo.drop(threadId);
    const lastRowId = this.#items.appendRows(threadId, rows) ?? this.#pages.lastRowId(threadId);
    // Items for a thread the catalogue does not know (an SDK run with a fresh id) adopt it.
    if (this.#sql.touch.run(this.#nextTime(), threadId).changes === 0) this.#adopter.adoptAll();
    return lastRowId;
  }

  /** See {@link HistoryTransaction}: applied only on the history the caller saw, once per operation id. */
  applyTransaction(transaction: HistoryTransaction): TransactionResult {
    const { operationId, threadId, expectedLastRowId, replaceFromRowId } = transaction;
    if (operationId === '') throw new Error('A history transaction needs an operation id.');
    if (replaceFromRowId !== undefined && replaceFromRowId > expectedLastRowId) throw new Error('The suffix to replace starts after the expected end.');
    const rows = transaction.replacement.map((item) => JSON.stringify(item));
    const digest = createHash('sha256').update(JSON.stringify([threadId, expectedLastRowId, replaceFromRowId ?? null, rows])).digest('hex');
    return this.#db.transaction(() => {
      const done = this.#sql.getOperation.get(operationId);
      if (done) {
        if (done.digest !== digest) throw new Error(`Operation ${operationId} was already used for a different change.`);
        return { status: 'duplicate', lastRowId: this.#pages.lastRowId(threadId) };
      }
      const lastRowId = this.#pages.lastRowId(threadId);
      if (lastRowId !== expectedLastRowId) return { status: 'conflict', lastRowId };
      if (replaceFromRowId !== undefined) {
        // Groups anchored in the replaced rows lose the rows their key names.
        this.#versions.dropFrom(threadId, replaceFromRowId);
        this.#search.forgetFrom(threadId, replaceFromRowId);
        this.#answers.forget(threadId, replaceFromRowId);
        this.#items.deleteFrom(threadId, replaceFromRowId);
      }
      const newLast = this.#appendChange(threadId, rows);
      // The operation row hangs off the thread; a thread unknown to the catalogue was adopted above.
      if (this.#sql.get.get(threadId)) {
        this.#sql.insertOperation.run(operationId, threadId, digest, newLast, Date.now());
        // The answer is named by the last row written: the answer's last item.
        if (transaction.answer && rows.length > 0) {
          this.#answers.heal(threadId);
          this.#answers.record(threadId, newLast, rows.at(-1)!, transaction.answer, Date.now());
        }
      }
      return { status: 'applied', lastRowId: newLast };
    });
  }

  /** The SDK's `popItem`: removes the newest item; leaves the undo/redo stack alone. */
  popItem(threadId: string): Item | undefined {
    // A row newer than the watermark was never indexed (the index catches up lazily, at search
    // time): nothing to take out, so without answer records the SDK's pop stays one plain delete.
    const indexed = this.#pages.lastRowId(threadId) <= this.#search.watermark();
    if (!indexed && !this.#answers.has(threadId)) return this.#items.pop(threadId);
    return this.#db.transaction(() => {
      // The row pop takes: the newest readable one, as lastItem reads it.
      const last = this.#pages.lastItem(threadId);
      if (last && indexed) this.#search.forgetRow(last.rowId);
      // Popped for good: its answer record goes with it.
      if (last) this.#answers.forget(threadId, last.rowId, last.rowId);
      return this.#items.pop(threadId);
    });
  }

  /** The SDK's `clearSession`: removes every item for good (not undoable) and drops the stack. */
  clearItems(threadId: string): void {
    this.#db.transaction(() => {
      this.#undo.drop(threadId);
      this.#versions.deleteThread(threadId);
      this.#answers.forget(threadId, 0);
      this.#search.forgetFrom(threadId, 0);
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
      return { id, workspaceKey, title: name, createdAt: now, updatedAt: now, pinned: false };
    });
  }

  renameThread(threadId: string, title: string): ThreadInfo {
    const name = title.trim();
    if (name === '') throw new Error('A thread title cannot be empty.');
    if (this.#sql.rename.run(name, threadId).changes === 0) throw new Error(`No thread ${threadId}.`);
    return this.getThread(threadId)!;
  }

  /** Pins or unpins a thread; throws on an unknown thread. */
  setPinned(threadId: string, pinned: boolean): ThreadInfo {
    if (this.#sql.setPinned.run(pinned ? 1 : 0, threadId).changes === 0) throw new Error(`No thread ${threadId}.`);
    return this.getThread(threadId)!;
  }

  /**
   * Matching items of every thread (see `HistoryStore.search`). Catches up with a few unindexed
   * rows first; while another connection holds the write lock, answers from what is indexed.
   */
  search(query: string, options?: SearchOptions): SearchHit[] {
    this.#adopter.adoptAll();
    this.#catchUpBeforeSearch();
    return this.#search.search(query, options);
  }

  /** The row ids of one thread's items that match `query`, oldest first. */
  findInThread(threadId: string, query: string): number[] {
    this.#catchUpBeforeSearch();
    return this.#search.findInThread(threadId, query);
  }

  searchIndexStatus(): SearchIndexStatus {
    return this.#search.status();
  }

  /** Indexes up to `maxRows` unindexed rows; returns how many are still pending. */
  indexPending(maxRows: number): number {
    this.#search.catchUp(maxRows);
    return this.#search.pending();
  }

  #catchUpBeforeSearch(): void {
    try {
      this.#search.catchUpIfFew();
    } catch (err) {
      // Another window or program is writing: the rows it has not committed cannot be found anyway.
      if (!isBusyError(err)) throw err;
    }
  }

  /** Deletes the thread, its items, its undo/redo stack and current-thread pointers to it. */
  deleteThread(threadId: string): void {
    this.#db.transaction(() => {
      this.#search.forgetFrom(threadId, 0);
      this.#items.clear(threadId);
      // Not the cascade alone: the Python SDK deletes `agent_sessions` rows with foreign keys off,
      // which leaves our rows without the parent that would cascade to them.
      for (const statement of this.#sql.deleteThreadRows) statement.run(threadId);
      this.#sql.deleteSession.run(threadId);
    });
  }

  currentThreadId(workspaceKey: string): string | undefined {
    return this.#sql.getCurrent.get(workspaceKey)?.thread_id as string | undefined;
  }

  setCurrentThread(workspaceKey: string, threadId: string): void {
    this.#sql.setCurrent.run(workspaceKey, threadId);
  }

  undoTurn(threadId: string): HistoryEditResult {
    return this.#undo.undo(threadId);
  }

  redoTurn(threadId: string): HistoryEditResult {
    return this.#undo.redo(threadId);
  }

  /** Restores a Clear only while it is the thread's latest change. */
  undoClear(threadId: string): HistoryEditResult {
    return this.#undo.undoClear(threadId);
  }

  /** Removes all items, kept so {@link undoTurn} can restore them; returns how many. */
  clearThread(threadId: string): number {
    return this.#undo.clear(threadId);
  }

  /** See `HistoryStore.editQuestion`. */
  editQuestion(threadId: string, turnId: number, text: string, expectedLastRowId: number): NewVersionResult {
    return this.#edits.edit(threadId, turnId, text, expectedLastRowId);
  }

  /** See `HistoryStore.regenerate`. */
  regenerate(threadId: string, turnId: number, expectedLastRowId: number): NewVersionResult {
    return this.#edits.regenerate(threadId, turnId, expectedLastRowId);
  }

  /** See `HistoryStore.switchVersion`. */
  switchVersion(threadId: string, turnId: number, target: VersionTarget, expectedLastRowId: number): SwitchVersionResult {
    return this.#edits.switchTo(threadId, turnId, target, expectedLastRowId);
  }

  /**
   * How much a switch at `turnId` would move, cheaply (index reads only), to choose where to run it:
   * the rows of the version shown from the turn on (counted up to `cap`) and the bytes of the
   * largest hidden version of that turn.
   */
  switchSize(threadId: string, turnId: number, cap: number): { shownRows: number; hiddenBytes: number } {
    return {
      shownRows: Number(this.#shownAfter.get(threadId, turnId, cap)?.n ?? 0),
      hiddenBytes: Number(this.#otherVersionBytes.get(threadId, threadId, turnId)?.n ?? 0),
    };
  }

  /** See `HistoryStore.versionsOf`. */
  versionsOf(threadId: string, turnIds: readonly number[]): Map<number, TurnVersions> {
    return this.#versions.versionsOf(threadId, turnIds);
  }

  /**
   * A copy of the version shown through the turn `throughTurnId`, as a new thread of the same
   * workspace titled `<title> (fork)`; one transaction, the original untouched. The copy has no
   * other versions: a hidden version holds everything after its turn, which the fork cuts off.
   */
  forkThread(threadId: string, throughTurnId: number): ThreadInfo {
    return this.#db.transaction(() => {
      const source = this.getThread(threadId);
      if (!source) throw new Error(`No thread ${threadId}.`);
      if (!this.#isTurnStart.get(threadId, throughTurnId)) throw new Error(`Row ${throughTurnId} does not start a turn of thread ${threadId}.`);
      const end = Number(this.#nextTurnStart.get(threadId, throughTurnId)?.id ?? Number.MAX_SAFE_INTEGER);
      const fork = this.createThread(source.workspaceKey, `${source.title} (fork)`);
      this.#copyRows.run(fork.id, threadId, end);
      this.#answers.copy(threadId, end, fork.id);
      return fork;
    });
  }

  /** See `HistoryStore.exportThread`: one read snapshot. */
  exportThread(threadId: string): ThreadRecord | undefined {
    this.#db.exec('BEGIN');
    try {
      return this.#transfer.exportThread(threadId);
    } finally {
      this.#db.exec('COMMIT');
    }
  }

  /** See `HistoryStore.importThread`: one transaction. */
  importThread(record: ThreadRecord, workspaceKey: string): ImportThreadResult {
    return this.#db.transaction(() => this.#transfer.importThread(record, workspaceKey));
  }

  canUndo(threadId: string): boolean {
    return this.#undo.canUndo(threadId);
  }

  canRedo(threadId: string): boolean {
    return this.#undo.canRedo(threadId);
  }

  /** The thread's newest row id; 0 when empty. */
  lastRowId(threadId: string): number {
    return this.#pages.lastRowId(threadId);
  }

  lastItem(threadId: string): StoredItem | undefined {
    return this.#pages.lastItem(threadId);
  }

  hasTurns(threadId: string): boolean {
    return this.#pages.hasTurns(threadId);
  }

  /** The thread, its newest page and its undo state, in one read transaction (one consistent view). */
  readView(threadId: string, pageSize: number): ThreadView {
    // A deferred transaction: its reads see one snapshot, and it takes no write lock.
    this.#db.exec('BEGIN');
    try {
      const usage = this.#answers.usage(threadId);
      return {
        thread: this.getThread(threadId),
        page: this.#answers.withAnswers(threadId, this.#pages.page(threadId, pageSize)),
        lastRowId: this.#pages.lastRowId(threadId),
        canUndo: this.#undo.canUndo(threadId),
        canRedo: this.#undo.canRedo(threadId),
        ...(usage ? { usage } : {}),
      };
    } finally {
      this.#db.exec('COMMIT');
    }
  }

  /** One read snapshot: the page and its answer records agree. */
  pageBefore(threadId: string, beforeTurnId: number, pageSize: number): ItemPage {
    this.#db.exec('BEGIN');
    try {
      return this.#answers.withAnswers(threadId, this.#pages.page(threadId, pageSize, beforeTurnId));
    } finally {
      this.#db.exec('COMMIT');
    }
  }

  /** The newest user or assistant message text on one line, at most 80 characters; '' if none. */
  preview(threadId: string): string {
    for (const row of this.#sql.newestMessages.all(threadId)) {
      const text = previewText(row.data);
      if (text !== '') return text;
    }
    return '';
  }

  /**
   * {@link preview} of many threads with one statement and one read snapshot: a thread list of a
   * thousand threads costs one query, not a thousand. A thread whose newest message has no text
   * (a refusal, an image) falls back to looking a few messages further.
   */
  previews(threadIds: readonly string[]): Map<string, string> {
    const previews = new Map<string, string>();
    if (threadIds.length === 0) return previews;
    this.#db.exec('BEGIN');
    try {
      for (const row of this.#sql.newestMessageOfEach.all(JSON.stringify(threadIds))) {
        const id = row.id as string;
        const text = previewText(row.data);
        previews.set(id, text !== '' || row.data === null ? text : this.preview(id));
      }
    } finally {
      this.#db.exec('COMMIT');
    }
    return previews;
  }
}

export { NO_WORKSPACE };
