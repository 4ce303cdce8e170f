import { setTimeout as sleep } from 'node:timers/promises';
import type { Item, Session } from '../session/session.ts';
import { BUSY_TIMEOUT_MS, isBusyError } from '../session/sqliteDriver.ts';
import type { DriverName, OpenOptions } from '../session/sqliteDriver.ts';
import type { Recovered } from '../threads/recovery.ts';
import { ThreadSession } from '../threads/threadSession.ts';
import { ThreadStore } from '../threads/threadStore.ts';
import type {
  HistoryEditResult,
  HistoryStore,
  HistoryTransaction,
  ItemPage,
  StoredItem,
  ThreadInfo,
  ThreadView,
  TransactionResult,
  Unsubscribe,
} from './historyStore.ts';

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
  readonly #store: ThreadStore;
  readonly #listeners = new Set<() => void>();
  #poll: ReturnType<typeof setInterval> | undefined;
  #seenVersion = 0;

  private constructor(store: ThreadStore) {
    this.#store = store;
  }

  /** Opens (creating, migrating, recovering) the store at `dbPath`; see `ThreadStore.open`. */
  static async open(dbPath: string, options: OpenOptions = {}): Promise<SqliteHistoryStore> {
    const store = await retryWhileBusyAsync(() => ThreadStore.open(dbPath, { busyTimeoutMs: 0, ...options }));
    return new SqliteHistoryStore(store);
  }

  get description(): string {
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

  /** Set when the file was unreadable and moved aside. */
  get recovered(): Recovered | undefined {
    return this.#store.recovered;
  }

  get dbPath(): string {
    return this.#store.dbPath;
  }

  #run<T>(work: (store: ThreadStore) => T): Promise<T> {
    return retryWhileBusyAsync(() => work(this.#store));
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
    return this.#run((store) => new Map(threadIds.map((id) => [id, store.preview(id)])));
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
    this.#stopPolling();
    this.#listeners.clear();
    this.#store.close();
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
