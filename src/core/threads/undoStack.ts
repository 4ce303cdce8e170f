import { parseItems } from '../session/session.ts';
import type { Item } from '../session/session.ts';
import type { ItemTable } from '../session/itemTable.ts';
import type { Database, Statement } from '../session/sqliteDriver.ts';

/** What {@link UndoStack.undo} did: removed the last turn, or brought back a cleared history. */
export type UndoResult = { kind: 'turnRemoved' | 'clearUndone'; items: Item[] };

/**
 * Undo/redo per thread, persisted in `session_chat_undo` so it survives a restart. Entries keep
 * the removed rows' raw JSON text, so a redo or an undone Clear puts back exactly what was there.
 *
 * The stack of a thread holds either one 'clear' entry (the Clear was the latest change, so Undo
 * restores it) or any number of 'turn' entries (removed turns, newest on top, for Redo). Any
 * other change to the history (a new message, a Clear) empties it first.
 */
export class UndoStack {
  readonly #db: Database;
  readonly #items: ItemTable;
  readonly #top: Statement;
  readonly #push: Statement;
  readonly #remove: Statement;
  readonly #drop: Statement;
  readonly #newestUser: Statement;

  constructor(db: Database, items: ItemTable) {
    this.#db = db;
    this.#items = items;
    this.#top = db.prepare('SELECT id, kind, rows FROM session_chat_undo WHERE thread_id = ? ORDER BY id DESC LIMIT 1');
    this.#push = db.prepare('INSERT INTO session_chat_undo (thread_id, kind, rows, created_at) VALUES (?, ?, ?, ?)');
    this.#remove = db.prepare('DELETE FROM session_chat_undo WHERE id = ?');
    this.#drop = db.prepare('DELETE FROM session_chat_undo WHERE thread_id = ?');
    this.#newestUser = db.prepare(
      // One CASE so json_extract never sees a corrupt row (it would throw, and SQLite may
      // evaluate AND-ed WHERE terms in any order).
      'SELECT id FROM agent_messages WHERE session_id = ? AND CASE WHEN json_valid(message_data) THEN ' +
        "json_extract(message_data, '$.role') = 'user' AND coalesce(json_extract(message_data, '$.type'), 'message') = 'message' " +
        'ELSE 0 END ORDER BY id DESC LIMIT 1',
    );
  }

  /** Forgets the thread's undo/redo entries (called inside the caller's write transaction). */
  drop(threadId: string): void {
    this.#drop.run(threadId);
  }

  /** Removes every item of the thread, remembering them so Undo can restore them. */
  clear(threadId: string): number {
    return this.#db.transaction(() => {
      const rows = this.#items.rowsFrom(threadId, 0);
      if (rows.length === 0) return 0;
      this.#drop.run(threadId);
      this.#items.clear(threadId);
      this.#push.run(threadId, 'clear', JSON.stringify(rows.map((row) => row.data)), Date.now());
      return rows.length;
    });
  }

  /** Restores a Clear that was the latest change, else removes the last turn; see {@link UndoResult}. */
  undo(threadId: string): UndoResult | undefined {
    return this.#db.transaction(() => {
      const restored = this.undoClear(threadId);
      if (restored) return { kind: 'clearUndone', items: restored };
      const userRowId = this.newestUserRowId(threadId);
      if (userRowId === undefined) return undefined;
      const rows = this.#items.rowsFrom(threadId, userRowId).map((row) => row.data);
      this.#items.deleteFrom(threadId, userRowId);
      this.#push.run(threadId, 'turn', JSON.stringify(rows), Date.now());
      return { kind: 'turnRemoved', items: parseItems(rows) };
    });
  }

  /**
   * Restores the cleared items only while the Clear is still the latest change (a message sent
   * since makes it final); `undefined` otherwise. The "cleared … Undo" notification uses this, so
   * a late click can never remove a newer turn instead.
   */
  undoClear(threadId: string): Item[] | undefined {
    return this.#restoreNewest(threadId, 'clear');
  }

  /** Puts back the newest removed turn; `undefined` when there is none. */
  redo(threadId: string): Item[] | undefined {
    return this.#restoreNewest(threadId, 'turn');
  }

  /** Re-appends the newest stack entry's rows when it is of `kind`, in one transaction. */
  #restoreNewest(threadId: string, kind: 'clear' | 'turn'): Item[] | undefined {
    return this.#db.transaction(() => {
      const top = this.#top.get(threadId);
      if (top?.kind !== kind) return undefined;
      const rows = JSON.parse(top.rows as string) as string[];
      this.#remove.run(top.id as number);
      this.#items.appendRows(threadId, rows);
      return parseItems(rows);
    });
  }

  /** Row id of the thread's newest user message: the start of its last turn. */
  newestUserRowId(threadId: string): number | undefined {
    const row = this.#newestUser.get(threadId);
    return row ? Number(row.id) : undefined;
  }

  canUndo(threadId: string): boolean {
    return this.#top.get(threadId)?.kind === 'clear' || this.newestUserRowId(threadId) !== undefined;
  }

  canRedo(threadId: string): boolean {
    return this.#top.get(threadId)?.kind === 'turn';
  }
}
