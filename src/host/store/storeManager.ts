import * as vscode from 'vscode';
import type { HistoryStore } from '../../core/store/historyStore.ts';
import { classifyPgError, describeConnection, redactConnection, troubleWords, type PgTrouble } from '../../core/store/pg/pgConnection.ts';
import { PgHistoryStore } from '../../core/store/pg/pgHistoryStore.ts';
import { StoreUnavailableError, SwitchingStore, unavailableStore } from '../../core/store/switchingStore.ts';
import type { Disposable } from '../platform/disposable.ts';
import { currentWorkspaceKey } from '../platform/workspaceKey.ts';
import { CONNECTION_SECRET, readStorageKind, travellingWorkspaceKey, writeStorageKind, type StorageKind } from './storageSetting.ts';

/** What the status bar shows: the store in use and, for PostgreSQL, whether it answers. */
export type StoreState =
  | { kind: 'local' }
  | { kind: 'postgres'; status: 'connecting' | 'connected' | 'notConnected' | PgTrouble; where: string; reason?: string; retryAt?: number };

const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 30_000;

/** What the manager needs from the chat host. */
export interface StoreManagerDeps {
  secrets: vscode.SecretStorage;
  log: vscode.LogOutputChannel;
  /** Opens the local SQLite store (with its own warnings), as the chat always did. */
  openLocal(): Promise<HistoryStore>;
  /** Called right before another backend takes over (the workspace key may change with it). */
  beforeSwitch(): void;
}

/**
 * The one owner of which history store the chat uses. It opens the store the setting names, keeps
 * the PostgreSQL connection string in SecretStorage only, notices when the server goes away (a call
 * fails for want of it), says so once, and tries again with backoff until it answers: nothing is
 * ever written to the local store instead. Every message it makes is free of the connection string.
 */
export class StoreManager implements Disposable {
  readonly store: SwitchingStore;
  readonly #deps: StoreManagerDeps;
  #kind: StorageKind = 'local';
  #state: StoreState = { kind: 'local' };
  #connection: string | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #retryMs = FIRST_RETRY_MS;
  #probing: Promise<boolean> | undefined;
  #disposed = false;
  readonly #listeners = new Set<(state: StoreState) => void>();

  private constructor(deps: StoreManagerDeps, initial: HistoryStore) {
    this.#deps = deps;
    this.store = new SwitchingStore(initial, { failed: (error) => this.#failed(error), succeeded: () => this.#succeeded() });
  }

  /** Opens the store `sessionChat.storage` names; a server that is away gives a stand-in and retries. */
  static async open(deps: StoreManagerDeps): Promise<StoreManager> {
    const kind = readStorageKind();
    if (kind === 'local') return new StoreManager(deps, await deps.openLocal());
    const manager = new StoreManager(deps, unavailableStore('PostgreSQL (connecting)', () => new StoreUnavailableError('Session Chat is connecting to PostgreSQL.')));
    await manager.#openPostgres(await deps.secrets.get(CONNECTION_SECRET));
    return manager;
  }

  get state(): StoreState {
    return this.#state;
  }

  get kind(): StorageKind {
    return this.#kind;
  }

  onDidChangeState(listener: (state: StoreState) => void): Disposable {
    this.#listeners.add(listener);
    return { dispose: () => this.#listeners.delete(listener) };
  }

  /** This window's workspace key for the store in use (see storageSetting.ts). */
  workspaceKey(): string {
    return this.#kind === 'postgres' ? travellingWorkspaceKey() : currentWorkspaceKey();
  }

  /** Words for the user from any error of the store, with the connection string removed. */
  redact(text: string): string {
    return redactConnection(text, this.#connection);
  }

  /** `sessionChat.storage` changed (by the user, or by Connect / Disconnect, which got there first). */
  async settingChanged(): Promise<void> {
    const kind = readStorageKind();
    if (kind === this.#kind) return;
    if (kind === 'local') await this.#switchTo('local', await this.#deps.openLocal());
    else await this.#openPostgres(await this.#deps.secrets.get(CONNECTION_SECRET));
  }

  /**
   * Connect to PostgreSQL: `opened` is the store the command already tested on `connectionString`.
   * The string goes to SecretStorage, the setting to `postgres`, and the chat to that store.
   */
  async usePostgres(connectionString: string, opened: PgHistoryStore): Promise<void> {
    await this.#deps.secrets.store(CONNECTION_SECRET, connectionString);
    this.#connection = connectionString;
    await this.#switchTo('postgres', opened);
    this.#setState({ kind: 'postgres', status: 'connected', where: opened.where });
    await writeStorageKind('postgres');
  }

  /** Disconnect from PostgreSQL: back to the local store; the connection string is forgotten. */
  async useLocal(): Promise<void> {
    this.#stopRetrying();
    await this.#switchTo('local', await this.#deps.openLocal());
    await this.#deps.secrets.delete(CONNECTION_SECRET);
    this.#connection = undefined;
    await writeStorageKind('local');
  }

  /** Retry now (the status bar, a message's Retry): true when PostgreSQL answers. */
  retryNow(): Promise<boolean> {
    this.#stopRetrying();
    this.#retryMs = FIRST_RETRY_MS;
    return this.#probe();
  }

  async #openPostgres(connectionString: string | undefined): Promise<void> {
    this.#stopRetrying();
    this.#connection = connectionString;
    if (!connectionString) {
      const message = 'Session Chat is set to keep chats in PostgreSQL, but no server is connected: run "Session Chat: Connect to PostgreSQL...".';
      await this.#switchTo('postgres', unavailableStore('PostgreSQL (not connected)', () => new StoreUnavailableError(message)));
      this.#setState({ kind: 'postgres', status: 'notConnected', where: '', reason: 'no connection string' });
      return;
    }
    const where = describeConnection(connectionString);
    // A retry while the server is away stays "away" until it answers (and says so only once).
    const away = this.#state.kind === 'postgres' && ['unreachable', 'slow', 'refused'].includes(this.#state.status);
    if (!away) this.#setState({ kind: 'postgres', status: 'connecting', where });
    try {
      const store = await PgHistoryStore.open({ connectionString });
      await this.#switchTo('postgres', store);
      this.#setState({ kind: 'postgres', status: 'connected', where });
      this.#deps.log.info(`Database: ${store.description}`);
    } catch (error) {
      const trouble = classifyPgError(error) ?? 'refused';
      const reason = troubleWords(error, connectionString);
      await this.#switchTo('postgres', unavailableStore(`PostgreSQL at ${where}`, () => new StoreUnavailableError(awayMessage(where, trouble, reason))));
      this.#trouble(trouble, reason);
    }
  }

  async #switchTo(kind: StorageKind, next: HistoryStore): Promise<void> {
    this.#kind = kind;
    this.#deps.beforeSwitch();
    await this.store.use(next);
    if (kind === 'local') this.#setState({ kind: 'local' });
  }

  /** A call failed: a missing server becomes a StoreUnavailableError with words for the user, and a retry. */
  #failed(error: unknown): unknown {
    if (this.#kind !== 'postgres' || error instanceof StoreUnavailableError) return error;
    const trouble = classifyPgError(error);
    if (!trouble) {
      if (error instanceof Error) error.message = this.redact(error.message);
      return error;
    }
    const state = this.#state;
    const where = state.kind === 'postgres' ? state.where : 'PostgreSQL';
    const reason = troubleWords(error, this.#connection ?? '');
    this.#trouble(trouble, reason);
    return new StoreUnavailableError(awayMessage(where, trouble, reason));
  }

  /**
   * A call succeeded while the server was away: some calls answer without asking the server (an
   * empty list), so only a ping says it is back.
   */
  #succeeded(): void {
    const state = this.#state;
    if (state.kind === 'postgres' && state.status !== 'connected' && state.status !== 'connecting' && this.store.current instanceof PgHistoryStore) {
      void this.#probe();
    }
  }

  /** Marks the server away (telling the user once per outage) and schedules the next try. */
  #trouble(trouble: PgTrouble, reason: string): void {
    const state = this.#state;
    if (state.kind !== 'postgres') return;
    const firstTime = state.status === 'connected' || state.status === 'connecting';
    const delay = this.#schedule();
    this.#setState({ kind: 'postgres', status: trouble, where: state.where, reason, retryAt: delay === undefined ? undefined : Date.now() + delay });
    if (!firstTime) return;
    this.#deps.log.warn(`PostgreSQL at ${state.where}: ${trouble} (${reason}); retrying with backoff`);
    void vscode.window.showErrorMessage(`${awayMessage(state.where, trouble, reason)} Nothing is saved anywhere else meanwhile; Session Chat keeps trying.`, 'Retry').then((choice) => {
      if (choice) void this.retryNow();
    });
  }

  #backAgain(): void {
    const state = this.#state;
    if (state.kind !== 'postgres') return;
    this.#stopRetrying();
    this.#retryMs = FIRST_RETRY_MS;
    this.#setState({ kind: 'postgres', status: 'connected', where: state.where });
    this.#deps.log.info(`PostgreSQL at ${state.where} answers again`);
    // What the server holds may have moved on while we could not see it.
    this.store.changed();
  }

  /** Schedules the next try (unless one is due); its delay in ms. */
  #schedule(): number | undefined {
    if (this.#retry || this.#disposed) return undefined;
    const delay = this.#retryMs;
    this.#retryMs = Math.min(this.#retryMs * 2, LONGEST_RETRY_MS);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      void this.#probe();
    }, delay);
    return delay;
  }

  #stopRetrying(): void {
    clearTimeout(this.#retry);
    this.#retry = undefined;
  }

  /** One try: ping the open store, or open one if the server was away from the start. */
  #probe(): Promise<boolean> {
    this.#probing ??= (async () => {
      if (this.#kind !== 'postgres' || this.#disposed) return false;
      const current = this.store.current;
      if (!(current instanceof PgHistoryStore)) {
        await this.#openPostgres(this.#connection ?? (await this.#deps.secrets.get(CONNECTION_SECRET)));
        return this.#state.kind === 'postgres' && this.#state.status === 'connected';
      }
      try {
        await current.ping();
        this.#backAgain();
        return true;
      } catch (error) {
        this.#trouble(classifyPgError(error) ?? 'unreachable', troubleWords(error, this.#connection ?? ''));
        return false;
      }
    })().finally(() => (this.#probing = undefined));
    return this.#probing;
  }

  #setState(state: StoreState): void {
    this.#state = state;
    for (const listener of [...this.#listeners]) listener(state);
  }

  dispose(): void {
    this.#disposed = true;
    this.#stopRetrying();
    this.#listeners.clear();
  }
}

/** The sentence every surface shows while the server is away. */
function awayMessage(where: string, trouble: PgTrouble | 'notConnected', reason: string): string {
  const what = trouble === 'slow' ? 'is too slow to answer' : trouble === 'refused' ? 'refused the connection' : 'cannot be reached';
  return `PostgreSQL at ${where} ${what} (${reason}).`;
}
