import { setTimeout as sleep } from 'node:timers/promises';
import type { Item, Session } from '../session/session.ts';
import { BUSY_TIMEOUT_MS, isBusyError, retryWhileBusy } from '../session/sqliteDriver.ts';
import type { DriverName, OpenOptions } from '../session/sqliteDriver.ts';
import { explainOpenFailure, isCorruptionError, isFilePath, StoreOpenError } from '../threads/recovery.ts';
import type { Recovered } from '../threads/recovery.ts';
import { ThreadSession } from '../threads/threadSession.ts';
import { ThreadStore } from '../threads/threadStore.ts';
import type {
  HistoryEditResult,
  HistoryStore,
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
  Unsubscribe,
  VersionTarget,
} from './historyStore.ts';
import { defaultSwitchWorkerPath, SwitchWorkerClient } from './switchWorkerClient.ts';
import type { ThreadRecord } from '../transfer/threadRecord.ts';

export { StoreOpenError } from '../threads/recovery.ts';
export type { Recovered, StoreOpenProblem } from '../threads/recovery.ts';

/** What {@link SqliteHistoryStore.onDidRecover} reports: which files were moved where, why, and what was salvaged. */
export type RecoveredInfo = Recovered;

/**
 * A switch that moves at least this many rows of the version shown (or brings back a hidden version
 * of at least {@link LARGE_SWITCH_BYTES}) runs in the switch worker, off the host's thread.
 */
export const LARGE_SWITCH_ROWS = 1_000;
/** See {@link LARGE_SWITCH_ROWS}: ~1,000 rows of a typical ~250-byte item. */
export const LARGE_SWITCH_BYTES = 256 * 1024;

/** {@link SqliteHistoryStore.open}'s options: the connection's, and where large version switches run. */
export interface SqliteHistoryStoreOptions extends OpenOptions {
  /**
   * The switch worker's module (`switchWorker.js` of the bundle, or `switchWorker.ts`); default
   * {@link defaultSwitchWorkerPath}. `false` runs every switch on the calling thread.
   */
  switchWorkerPath?: string | false;
  /** The row count from which a switch is large; default {@link LARGE_SWITCH_ROWS}. */
  largeSwitchRows?: number;
}

/** How often another connection's commits are looked for while someone listens: well within a second. */
export const CHANGE_POLL_MS = 400;

/**
 * The {@link HistoryStore} on one SQLite file (`sessions.db`), shared by every window and by any
 * program using the Agents SDK's tables. Each call is one short synchronous piece of SQLite work;
 * what makes it safe for the extension host's single thread is that the connection never waits
 * for a lock (`busy_timeout` 0): when another process holds the write lock, the call gives the
 * thread back and tries again a few milliseconds later, for up to {@link BUSY_TIMEOUT_MS}.
 */
export class SqliteHistoryStore implements HistoryStore {
  #store: ThreadStore;
  readonly #options: SqliteHistoryStoreOptions;
  readonly #listeners = new Set<() => void>();
  readonly #recoveryListeners = new Set<(info: Recovered) => void>();
  #poll: ReturnType<typeof setInterval> | undefined;
  #seenVersion = 0;
  #recovered: Recovered | undefined;
  /** Set on the in-memory fallback: why the file could not be used. */
  readonly #openError: StoreOpenError | undefined;
  readonly #workerPath: string | undefined;
  readonly #largeRows: number;
  /** The switch worker, started on the first large switch; undefined before that or after it went. */
  #worker: Promise<SwitchWorkerClient | undefined> | undefined;
  /** Why the worker could not start: large switches then run inline, as small ones do. */
  #workerProblem: string | undefined;
  #closed = false;

  private constructor(store: ThreadStore, options: SqliteHistoryStoreOptions, openError?: StoreOpenError) {
    this.#store = store;
    this.#options = options;
    this.#workerPath = options.switchWorkerPath === false || !isFilePath(store.dbPath) ? undefined : (options.switchWorkerPath ?? defaultSwitchWorkerPath());
    this.#largeRows = options.largeSwitchRows ?? LARGE_SWITCH_ROWS;
    this.#recovered = store.recovered;
    this.#openError = openError;
  }

  /**
   * Opens (creating, migrating, recovering) the store at `dbPath`; see `ThreadStore.open`.
   * Throws a {@link StoreOpenError} (which file, what is wrong, what to do) when the file cannot
   * be opened or created: a folder in its place, a folder that cannot be written, a dangling link.
   */
  static async open(dbPath: string, options: SqliteHistoryStoreOptions = {}): Promise<SqliteHistoryStore> {
    const settings: SqliteHistoryStoreOptions = { busyTimeoutMs: 0, ...options };
    try {
      return new SqliteHistoryStore(await retryWhileBusyAsync(() => ThreadStore.open(dbPath, settings)), settings);
    } catch (err) {
      throw explainOpenFailure(dbPath, err) ?? err;
    }
  }

  /**
   * {@link open}, and when the file cannot be used, a store in memory instead so the chat still
   * works: `temporary` is then true and `openError` says which file is the problem and what to
   * do. Nothing written to it outlives the window. Throws only when SQLite itself cannot run.
   */
  static async openWithFallback(dbPath: string, options: SqliteHistoryStoreOptions = {}): Promise<SqliteHistoryStore> {
    try {
      return await SqliteHistoryStore.open(dbPath, options);
    } catch (err) {
      if (!(err instanceof StoreOpenError)) throw err;
      const settings: SqliteHistoryStoreOptions = { busyTimeoutMs: 0, ...options };
      return new SqliteHistoryStore(ThreadStore.open(':memory:', settings), settings, err);
    }
  }

  get description(): string {
    if (this.#openError) return `SQLite (${this.driver}) in memory, temporary: ${this.#openError.message}`;
    return `SQLite (${this.driver}) at ${this.#store.dbPath}`;
  }

  /** Which SQLite binding runs. */
  get driver(): DriverName {
    return this.#store.driver;
  }

  /** Why better-sqlite3 could not load, when node:sqlite runs instead. */
  get driverFallbackReason(): string | undefined {
    return this.#store.driverFallbackReason;
  }

  /**
   * The latest recovery: at open (an unreadable file, or a `-wal` without its database, moved
   * aside) or later (damage found by a call, see {@link onDidRecover}).
   */
  get recovered(): Recovered | undefined {
    return this.#recovered;
  }

  /** True on the in-memory fallback of {@link openWithFallback}: history is not kept. */
  get temporary(): boolean {
    return this.#openError !== undefined;
  }

  /** Why the file could not be used, on the in-memory fallback. */
  get openError(): StoreOpenError | undefined {
    return this.#openError;
  }

  /** The file's path; ':memory:' on the in-memory fallback (`openError.path` names the file). */
  get dbPath(): string {
    return this.#store.dbPath;
  }

  /**
   * Called when a call found the file damaged (SQLITE_CORRUPT / SQLITE_NOTADB): the file was moved
   * aside with its `-wal`/`-shm` (never deleted), what could be read was copied into a fresh file
   * at the same path, and the call was retried once on it. Change listeners are called too.
   * While another window or program has the file open it is not moved (that would lose data):
   * the call then rejects with a {@link StoreOpenError} whose `problem` is `damagedInUse`, the
   * store goes on with the damaged file, and a later call tries again.
   */
  onDidRecover(listener: (info: Recovered) => void): Unsubscribe {
    this.#recoveryListeners.add(listener);
    return () => this.#recoveryListeners.delete(listener);
  }

  /**
   * Runs one piece of work on the store: retried while another process holds the lock, and when it
   * finds the file damaged, retried once on a fresh file after {@link #recover}.
   */
  async #run<T>(work: (store: ThreadStore) => T): Promise<T> {
    let used = this.#store;
    try {
      return await retryWhileBusyAsync(() => work((used = this.#store)));
    } catch (err) {
      if (!isCorruptionError(err) || !isFilePath(this.#store.dbPath)) throw err;
      // The worker's connection would keep the damaged file open (recovery moves it only when
      // nobody has it open); a later large switch starts a worker on the fresh file.
      if (used === this.#store) await this.#stopWorker();
      // Another call may have recovered meanwhile: then only the retry is left to do.
      if (used === this.#store) this.#recover(err);
      return retryWhileBusyAsync(() => work(this.#store));
    }
  }

  #recover(err: unknown): void {
    const damaged = this.#store;
    try {
      this.#store = ThreadStore.recover(damaged, err, this.#options);
    } catch (recoveryError) {
      // The file could not be moved or a fresh one made (on Windows another program may hold it
      // open): go on with the damaged file, so what still reads keeps working, and report the damage.
      try {
        this.#store = retryWhileBusy(() => ThreadStore.open(damaged.dbPath, this.#options));
      } catch {
        // Every later call reports the closed connection; the error below says why.
      }
      if (recoveryError instanceof StoreOpenError) throw recoveryError;
      throw new Error(`${messageOf(err)} (the file could not be moved aside: ${messageOf(recoveryError)})`, { cause: recoveryError });
    }
    this.#seenVersion = this.#safeDataVersion() ?? 0;
    const recovered = this.#store.recovered;
    if (recovered) this.#recovered = recovered;
    // Told after the call's retry is under way; a listener that throws cannot break it.
    queueMicrotask(() => {
      if (recovered) for (const listener of [...this.#recoveryListeners]) callSafely(() => listener(recovered));
      for (const listener of [...this.#listeners]) callSafely(listener);
    });
  }

  listThreads(workspaceKey?: string): Promise<ThreadInfo[]> {
    return this.#run((store) => store.listThreads(workspaceKey));
  }

  getThread(threadId: string): Promise<ThreadInfo | undefined> {
    return this.#run((store) => store.getThread(threadId));
  }

  createThread(workspaceKey: string, title?: string): Promise<ThreadInfo> {
    return this.#run((store) => store.createThread(workspaceKey, title));
  }

  renameThread(threadId: string, title: string): Promise<ThreadInfo> {
    return this.#run((store) => store.renameThread(threadId, title));
  }

  deleteThread(threadId: string): Promise<void> {
    return this.#run((store) => store.deleteThread(threadId));
  }

  currentThreadId(workspaceKey: string): Promise<string | undefined> {
    return this.#run((store) => store.currentThreadId(workspaceKey));
  }

  setCurrentThread(workspaceKey: string, threadId: string): Promise<void> {
    return this.#run((store) => store.setCurrentThread(workspaceKey, threadId));
  }

  previews(threadIds: readonly string[]): Promise<Map<string, string>> {
    return this.#run((store) => store.previews(threadIds));
  }

  setPinned(threadId: string, pinned: boolean): Promise<ThreadInfo> {
    return this.#run((store) => store.setPinned(threadId, pinned));
  }

  search(query: string, options?: SearchOptions): Promise<SearchHit[]> {
    return this.#run((store) => store.search(query, options));
  }

  findInThread(threadId: string, query: string): Promise<number[]> {
    return this.#run((store) => store.findInThread(threadId, query));
  }

  searchIndexStatus(): Promise<SearchIndexStatus> {
    return this.#run((store) => store.searchIndexStatus());
  }

  indexPending(maxRows: number): Promise<number> {
    return this.#run((store) => store.indexPending(maxRows));
  }

  getItems(threadId: string, limit?: number): Promise<Item[]> {
    return this.#run((store) => store.getItems(threadId, limit));
  }

  lastItem(threadId: string): Promise<StoredItem | undefined> {
    return this.#run((store) => store.lastItem(threadId));
  }

  hasTurns(threadId: string): Promise<boolean> {
    return this.#run((store) => store.hasTurns(threadId));
  }

  readView(threadId: string, pageSize: number): Promise<ThreadView> {
    return this.#run((store) => store.readView(threadId, pageSize));
  }

  pageBefore(threadId: string, beforeTurnId: number, pageSize: number): Promise<ItemPage> {
    return this.#run((store) => store.pageBefore(threadId, beforeTurnId, pageSize));
  }

  appendItems(threadId: string, items: Item[]): Promise<number> {
    return this.#run((store) => store.addItems(threadId, items));
  }

  applyTransaction(transaction: HistoryTransaction): Promise<TransactionResult> {
    return this.#run((store) => store.applyTransaction(transaction));
  }

  undoTurn(threadId: string): Promise<HistoryEditResult> {
    return this.#run((store) => store.undoTurn(threadId));
  }

  redoTurn(threadId: string): Promise<HistoryEditResult> {
    return this.#run((store) => store.redoTurn(threadId));
  }

  undoClear(threadId: string): Promise<HistoryEditResult> {
    return this.#run((store) => store.undoClear(threadId));
  }

  clearThread(threadId: string): Promise<number> {
    return this.#run((store) => store.clearThread(threadId));
  }

  editQuestion(threadId: string, turnId: number, text: string, expectedLastRowId: number): Promise<NewVersionResult> {
    return this.#run((store) => store.editQuestion(threadId, turnId, text, expectedLastRowId));
  }

  regenerate(threadId: string, turnId: number, expectedLastRowId: number): Promise<NewVersionResult> {
    return this.#run((store) => store.regenerate(threadId, turnId, expectedLastRowId));
  }

  /**
   * A small switch runs here, as every other call. A large one (an edit far back in a long thread:
   * thousands of rows move out of or into `agent_messages`) runs in the switch worker, one
   * transaction on its own connection to the same file, so the host's thread stays free: its
   * reads see the file as before the switch until it commits, its writes meet SQLITE_BUSY and are
   * retried. Same result, same conflicts. When the worker cannot start or fails, the switch runs
   * here after all (the worker's transaction rolled back, or never began).
   */
  async switchVersion(threadId: string, turnId: number, target: VersionTarget, expectedLastRowId: number): Promise<SwitchVersionResult> {
    if (this.#workerPath !== undefined && this.#workerProblem === undefined && !this.#closed) {
      const size = await this.#run((store) => store.switchSize(threadId, turnId, this.#largeRows));
      if (size.shownRows >= this.#largeRows || size.hiddenBytes >= LARGE_SWITCH_BYTES * (this.#largeRows / LARGE_SWITCH_ROWS)) {
        const worker = await this.#switchWorker();
        if (worker) {
          try {
            return await worker.switchVersion(threadId, turnId, target, expectedLastRowId);
          } catch {
            // Rolled back in the worker (or never run): the call below gives the caller the same
            // answer, or the same error, as an inline switch would, recovery included.
          }
        }
      }
    }
    return this.#run((store) => store.switchVersion(threadId, turnId, target, expectedLastRowId));
  }

  /** Why large switches run on the calling thread: the worker could not start (undefined while it can). */
  get switchWorkerProblem(): string | undefined {
    return this.#workerProblem;
  }

  /** The running switch worker, started on first use; undefined when it cannot run. */
  #switchWorker(): Promise<SwitchWorkerClient | undefined> {
    if (this.#worker) {
      const current = this.#worker;
      return current.then((client) => {
        if (client?.alive) return client;
        if (this.#worker === current) this.#worker = undefined;
        return this.#workerProblem === undefined && !this.#closed ? this.#switchWorker() : undefined;
      });
    }
    const path = this.#workerPath!;
    this.#worker = SwitchWorkerClient.start(path, { dbPath: this.#store.dbPath, driver: this.#store.driver }).then(
      (client) => {
        if (this.#closed) {
          void client.close();
          return undefined;
        }
        return client;
      },
      (err: unknown) => {
        this.#workerProblem = `the switch worker (${path}) could not start: ${messageOf(err)}`;
        return undefined;
      },
    );
    return this.#worker;
  }

  async #stopWorker(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await (await worker)?.close();
  }

  versionsOf(threadId: string, turnIds: readonly number[]): Promise<Map<number, TurnVersions>> {
    return this.#run((store) => store.versionsOf(threadId, turnIds));
  }

  exportThread(threadId: string): Promise<ThreadRecord | undefined> {
    return this.#run((store) => store.exportThread(threadId));
  }

  importThread(record: ThreadRecord, workspaceKey: string): Promise<ImportThreadResult> {
    return this.#run((store) => store.importThread(record, workspaceKey));
  }

  forkThread(threadId: string, throughTurnId: number): Promise<ThreadInfo> {
    return this.#run((store) => store.forkThread(threadId, throughTurnId));
  }

  session(threadId: string): Session {
    return new ThreadSession(threadId, {
      getItems: (id, limit) => this.getItems(id, limit),
      addItems: (id, items) => this.appendItems(id, items),
      popItem: (id) => this.#run((store) => store.popItem(id)),
      clearItems: (id) => this.#run((store) => store.clearItems(id)),
    });
  }

  /**
   * Another connection's commit changes `PRAGMA data_version` (this connection's own do not), so
   * polling it costs one tiny read per interval and notices every window and program. Polling
   * runs only while someone listens, on an unref'd timer.
   */
  onDidChange(listener: () => void): Unsubscribe {
    this.#listeners.add(listener);
    if (!this.#poll) {
      this.#seenVersion = this.#safeDataVersion() ?? 0;
      this.#poll = setInterval(() => this.#checkForChanges(), CHANGE_POLL_MS);
      this.#poll.unref?.();
    }
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) this.#stopPolling();
    };
  }

  #checkForChanges(): void {
    const version = this.#safeDataVersion();
    if (version === undefined || version === this.#seenVersion) return;
    this.#seenVersion = version;
    for (const listener of [...this.#listeners]) listener();
  }

  /** undefined while the file is locked; the next tick tries again. */
  #safeDataVersion(): number | undefined {
    try {
      return this.#store.dataVersion();
    } catch {
      return undefined;
    }
  }

  #stopPolling(): void {
    clearInterval(this.#poll);
    this.#poll = undefined;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#stopPolling();
    this.#listeners.clear();
    // This connection first, at once, as before the worker existed; the worker finishes the switches
    // it was given (their callers get their answers) and closes its own.
    this.#store.close();
    await this.#stopWorker();
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function callSafely(fn: () => void): void {
  try {
    fn();
  } catch {
    // A listener's failure is its own; the store carries on.
  }
}

/**
 * Runs `work`, and while it fails with SQLITE_BUSY (another process holds the lock) tries again
 * after a short, growing pause that leaves the thread free for everything else.
 */
export async function retryWhileBusyAsync<T>(work: () => T, timeoutMs: number = BUSY_TIMEOUT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
    try {
      return work();
    } catch (error) {
      if (!isBusyError(error) || Date.now() + delay > deadline) throw error;
      await sleep(delay);
    }
  }
}
