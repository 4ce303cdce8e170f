import { parseItem, parseItems } from './session.ts';
import type { Item, Session } from './session.ts';

/**
 * The {@link Session} contract in memory, for tests and for scripts that need no persistence.
 * Items are kept as JSON text, exactly as the SQLite store keeps them, so callers see the same
 * copy semantics: what they get back is a fresh object, and mutating it changes nothing stored.
 */
export class MemorySession implements Session {
  readonly #sessionId: string;
  #rows: string[] = [];

  constructor(sessionId: string) {
    this.#sessionId = sessionId;
  }

  async getSessionId(): Promise<string> {
    return this.#sessionId;
  }

  async getItems(limit?: number): Promise<Item[]> {
    if (limit === undefined) return parseItems(this.#rows);
    if (limit <= 0) return [];
    const items: Item[] = [];
    for (let i = this.#rows.length - 1; i >= 0 && items.length < limit; i--) {
      const item = parseItem(this.#rows[i]!);
      if (item) items.push(item);
    }
    return items.reverse();
  }

  async addItems(items: Item[]): Promise<void> {
    // Serialise everything first so a value JSON cannot hold leaves the history untouched.
    const rows = items.map((item) => JSON.stringify(item));
    this.#rows.push(...rows);
  }

  async popItem(): Promise<Item | undefined> {
    while (this.#rows.length > 0) {
      const item = parseItem(this.#rows.pop()!);
      if (item) return item;
    }
    return undefined;
  }

  async clearSession(): Promise<void> {
    this.#rows = [];
  }
}
