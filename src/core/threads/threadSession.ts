import type { Item, Session } from '../session/session.ts';

/** The part of the thread store a thread's session needs. */
export interface ThreadItemsPort {
  getItems(threadId: string, limit?: number): Item[];
  addItems(threadId: string, items: Item[]): void;
  popItem(threadId: string): Item | undefined;
  clearItems(threadId: string): void;
}

/**
 * One thread as an SDK {@link Session} on the store's own connection, so a `run()` writes through
 * the same undo-aware path as the panel (its `addItems` drops the thread's redo stack).
 */
export class ThreadSession implements Session {
  readonly #threadId: string;
  readonly #store: ThreadItemsPort;

  constructor(threadId: string, store: ThreadItemsPort) {
    this.#threadId = threadId;
    this.#store = store;
  }

  async getSessionId(): Promise<string> {
    return this.#threadId;
  }

  async getItems(limit?: number): Promise<Item[]> {
    return this.#store.getItems(this.#threadId, limit);
  }

  async addItems(items: Item[]): Promise<void> {
    this.#store.addItems(this.#threadId, items);
  }

  async popItem(): Promise<Item | undefined> {
    return this.#store.popItem(this.#threadId);
  }

  async clearSession(): Promise<void> {
    this.#store.clearItems(this.#threadId);
  }
}

/** What a {@link TurnSession} needs beyond a thread session. */
export interface TurnItemsPort extends ThreadItemsPort {
  addItemsToTurn(threadId: string, turnRowId: number | undefined, items: Item[]): boolean;
}

/**
 * A thread session bound to the turn it answers (see `ThreadStore.turnSession`): writes are
 * dropped once that turn is gone, so a late answer never lands without its question.
 */
export class TurnSession extends ThreadSession {
  readonly #threadId: string;
  readonly #store: TurnItemsPort;
  readonly #turnRowId: number | undefined;
  /** True once a write was refused because the turn changed under it. */
  discarded = false;

  constructor(threadId: string, store: TurnItemsPort, turnRowId: number | undefined) {
    super(threadId, store);
    this.#threadId = threadId;
    this.#store = store;
    this.#turnRowId = turnRowId;
  }

  override async addItems(items: Item[]): Promise<void> {
    if (this.discarded || !this.#store.addItemsToTurn(this.#threadId, this.#turnRowId, items)) this.discarded = true;
  }
}
