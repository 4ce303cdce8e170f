import type { Item, Session } from '../session/session.ts';

/** The part of a thread store a thread's session needs, synchronous or not. */
export interface ThreadItemsPort {
  getItems(threadId: string, limit?: number): Item[] | Promise<Item[]>;
  addItems(threadId: string, items: Item[]): unknown;
  popItem(threadId: string): Item | undefined | Promise<Item | undefined>;
  clearItems(threadId: string): void | Promise<void>;
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
    await this.#store.addItems(this.#threadId, items);
  }

  async popItem(): Promise<Item | undefined> {
    return this.#store.popItem(this.#threadId);
  }

  async clearSession(): Promise<void> {
    await this.#store.clearItems(this.#threadId);
  }
}
