import type { Session } from '../session/session.ts';
import type { ThreadRecord } from '../transfer/threadRecord.ts';
import type { HistoryStore, HistoryTransaction, SearchOptions, Unsubscribe, VersionTarget } from './historyStore.ts';

/**
 * A history store the chat cannot use right now (the server is away, refusing or slow). Its
 * message is for the user as it stands: it names the trouble and never holds a secret.
 */
export class StoreUnavailableError extends Error {
  override readonly name = 'StoreUnavailableError';
}

/** What the owner of a {@link SwitchingStore} hears about its calls. */
export interface SwitchingStoreHooks {
  /** A call failed: return the error to throw instead (e.g. a {@link StoreUnavailableError}), or the same one. */
  failed(error: unknown): unknown;
  /** A call succeeded (the backend answers). */
  succeeded(): void;
}

/**
 * One history store for the whole chat that can change backends underneath (SQLite ⇄ PostgreSQL,
 * or a stand-in while the server is away) without the chat, its surfaces or its commands holding
 * on to the old one. Change listeners move to the new backend and are called once on a switch,
 * so every surface shows the new store's threads.
 */
export class SwitchingStore implements HistoryStore {
  #current: HistoryStore;
  readonly #hooks: SwitchingStoreHooks;
  readonly #listeners = new Set<() => void>();
  #unsubscribe: Unsubscribe | undefined;

  constructor(initial: HistoryStore, hooks: SwitchingStoreHooks = { failed: (error) => error, succeeded: () => undefined }) {
    this.#current = initial;
    this.#hooks = hooks;
  }

  /** The backend in use. */
  get current(): HistoryStore {
    return this.#current;
  }

  get description(): string {
    return this.#current.description;
  }

  /** Uses `next` from now on, closes the previous backend (unless it is `next`) and tells the listeners. */
  async use(next: HistoryStore): Promise<void> {
    const previous = this.#current;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#current = next;
    if (this.#listeners.size > 0) this.#unsubscribe = next.onDidChange(() => this.#notify());
    if (previous !== next) await previous.close().catch(() => undefined);
    this.#notify();
  }

  /** Tells the listeners the store changed (e.g. the server is back: what it holds may have moved on). */
  changed(): void {
    this.#notify();
  }

  #notify(): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener();
      } catch {
        // A listener's failure is its own.
      }
    }
  }

  async #call<T>(work: (store: HistoryStore) => Promise<T>): Promise<T> {
    try {
      const result = await work(this.#current);
      this.#hooks.succeeded();
      return result;
    } catch (error) {
      throw this.#hooks.failed(error);
    }
  }

  listThreads = (workspaceKey?: string) => this.#call((s) => s.listThreads(workspaceKey));
  getThread = (threadId: string) => this.#call((s) => s.getThread(threadId));
  createThread = (workspaceKey: string, title?: string) => this.#call((s) => s.createThread(workspaceKey, title));
  renameThread = (threadId: string, title: string) => this.#call((s) => s.renameThread(threadId, title));
  deleteThread = (threadId: string) => this.#call((s) => s.deleteThread(threadId));
  currentThreadId = (workspaceKey: string) => this.#call((s) => s.currentThreadId(workspaceKey));
  setCurrentThread = (workspaceKey: string, threadId: string) => this.#call((s) => s.setCurrentThread(workspaceKey, threadId));
  previews = (threadIds: readonly string[]) => this.#call((s) => s.previews(threadIds));
  setPinned = (threadId: string, pinned: boolean) => this.#call((s) => s.setPinned(threadId, pinned));
  search = (query: string, options?: SearchOptions) => this.#call((s) => s.search(query, options));
  findInThread = (threadId: string, query: string) => this.#call((s) => s.findInThread(threadId, query));
  searchIndexStatus = () => this.#call((s) => s.searchIndexStatus());
  indexPending = (maxRows: number) => this.#call((s) => s.indexPending(maxRows));
  getItems = (threadId: string, limit?: number) => this.#call((s) => s.getItems(threadId, limit));
  lastItem = (threadId: string) => this.#call((s) => s.lastItem(threadId));
  hasTurns = (threadId: string) => this.#call((s) => s.hasTurns(threadId));
  readView = (threadId: string, pageSize: number) => this.#call((s) => s.readView(threadId, pageSize));
  pageBefore = (threadId: string, beforeTurnId: number, pageSize: number) => this.#call((s) => s.pageBefore(threadId, beforeTurnId, pageSize));
  appendItems = (threadId: string, items: Parameters<HistoryStore['appendItems']>[1]) => this.#call((s) => s.appendItems(threadId, items));
  applyTransaction = (transaction: HistoryTransaction) => this.#call((s) => s.applyTransaction(transaction));
  undoTurn = (threadId: string) => this.#call((s) => s.undoTurn(threadId));
  redoTurn = (threadId: string) => this.#call((s) => s.redoTurn(threadId));
  undoClear = (threadId: string) => this.#call((s) => s.undoClear(threadId));
  clearThread = (threadId: string) => this.#call((s) => s.clearThread(threadId));
  editQuestion = (threadId: string, turnId: number, text: string, expectedLastRowId: number) => this.#call((s) => s.editQuestion(threadId, turnId, text, expectedLastRowId));
  regenerate = (threadId: string, turnId: number, expectedLastRowId: number) => this.#call((s) => s.regenerate(threadId, turnId, expectedLastRowId));
  switchVersion = (threadId: string, turnId: number, target: VersionTarget, expectedLastRowId: number) => this.#call((s) => s.switchVersion(threadId, turnId, target, expectedLastRowId));
  versionsOf = (threadId: string, turnIds: readonly number[]) => this.#call((s) => s.versionsOf(threadId, turnIds));
  forkThread = (threadId: string, throughTurnId: number) => this.#call((s) => s.forkThread(threadId, throughTurnId));
  exportThread = (threadId: string) => this.#call((s) => s.exportThread(threadId));
  importThread = (record: ThreadRecord, workspaceKey: string) => this.#call((s) => s.importThread(record, workspaceKey));

  session(threadId: string): Session {
    return this.#current.session(threadId);
  }

  onDidChange(listener: () => void): Unsubscribe {
    this.#listeners.add(listener);
    this.#unsubscribe ??= this.#current.onDidChange(() => this.#notify());
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) {
        this.#unsubscribe?.();
        this.#unsubscribe = undefined;
      }
    };
  }

  close(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    return this.#current.close();
  }
}

/** A stand-in that fails every call with `error` (the server could not be reached at all); writes nothing anywhere. */
export function unavailableStore(description: string, error: () => Error): HistoryStore {
  const fail = () => Promise.reject(error());
  return new Proxy({} as HistoryStore, {
    get(_target, property) {
      if (property === 'description') return description;
      if (property === 'onDidChange') return () => () => undefined;
      if (property === 'close') return () => Promise.resolve();
      if (property === 'then') return undefined;
      if (property === 'session') {
        return () => {
          throw error();
        };
      }
      return fail;
    },
  });
}
