import { parseItems } from '../session/session.ts';
import type { ItemTable } from '../session/itemTable.ts';
import type { Database, Statement } from '../session/sqliteDriver.ts';
import type { HistoryEditResult } from '../store/historyStore.ts';
import type { SearchIndex } from '../search/searchIndex.ts';
import type { DetachedGroup, VersionTable } from '../versions/versionTable.ts';
import type { AnswerTable } from './answerTable.ts';
import type { ThreadPages } from './threadPages.ts';
import { TURN_START } from './threadSchema.ts';

/**
 * Undo/redo per thread, persisted in `session_chat_undo` so it survives a restart. Entries keep
 * the removed rows' raw JSON text, so a redo or an undone Clear puts back exactly what was there.
 *
 * The stack of a thread holds either one 'clear' entry (the Clear was the latest change, so Undo
 * restores it) or any number of 'turn' entries (removed turns, newest on top, for Redo). Any
 * other change made through the store empties it first. Each entry also records the row the
 * thread ended at when it was made (its expected suffix): a change made behind the store's back
 * (the Python SDK, a script, another version of us) shows as a different newest row, and then the
 * entry is refused and dropped instead of putting rows back after history it never saw.
 *
 * With versions (edit, regenerate): Undo Last Turn removes the last turn *of the version shown*,
 * exactly as without versions, and Redo brings it back; versions are never created, switched or
 * dropped by Undo/Redo, so every other version stays saved and one click away:
 * - the versions of an earlier turn are untouched (their group's key is before the removed rows);
 * - when the removed turn is itself an edited or regenerated turn, its group keeps all its
 *   versions and shows none until Redo puts the turn back (the switcher comes back with it) or a
 *   new question is sent in its place, which then becomes the version shown, with the others
 *   beside it in the switcher;
 * - groups inside the removed rows (possible only after earlier Undos) travel with the entry
 *   (`versions`) and come back with Redo on the rows' new ids; Clear keeps all the thread's
 *   groups in its entry the same way.
 * The removed turns stay on the Redo stack of *their version*: sending something else makes them
 * final, as always, but an edit, a regeneration or a switch does not. The version being hidden
 * takes its Redo entries along (`takeRedo`) and gets them back when it is shown again (`putRedo`),
 * so "Undo, switch away, switch back, Redo" brings the turn back; the version shown meanwhile has
 * its own stack, empty at first.
 */
export class UndoStack {
  readonly #db: Database;
  readonly #items: ItemTable;
  readonly #pages: ThreadPages;
  readonly #search: SearchIndex;
  readonly #top: Statement;
  readonly #push: Statement;
  readonly #remove: Statement;
  readonly #drop: Statement;
  readonly #expect: Statement;
  readonly #newestUser: Statement;
  readonly #turnEntries: Statement;
  readonly #dropTurns: Statement;

  readonly #versions: VersionTable;
  readonly #answers: AnswerTable;

  constructor(db: Database, items: ItemTable, pages: ThreadPages, search: SearchIndex, versions: VersionTable, answers: AnswerTable) {
    this.#db = db;
    // Answer records wait while their rows are away; rows put back re-link them (same texts, new ids).
    this.#answers = answers;
    this.#versions = versions;
    this.#items = items;
    this.#pages = pages;
    // Rows removed here leave the search index in the same transaction; rows put back are new rows to it.
    this.#search = search;
    this.#top = db.prepare('SELECT id, kind, rows, expected_last_row_id AS expected, versions FROM session_chat_undo WHERE thread_id = ? ORDER BY id DESC LIMIT 1');
    this.#push = db.prepare('INSERT INTO session_chat_undo (thread_id, kind, rows, created_at, expected_last_row_id, versions) VALUES (?, ?, ?, ?, ?, ?)');
    this.#remove = db.prepare('DELETE FROM session_chat_undo WHERE id = ?');
    this.#drop = db.prepare('DELETE FROM session_chat_undo WHERE thread_id = ?');
    this.#expect = db.prepare('UPDATE session_chat_undo SET expected_last_row_id = ? WHERE id = ?');
    this.#turnEntries = db.prepare("SELECT rows, versions FROM session_chat_undo WHERE thread_id = ? AND kind = 'turn' ORDER BY id");
    this.#dropTurns = db.prepare("DELETE FROM session_chat_undo WHERE thread_id = ? AND kind = 'turn'");
    this.#newestUser = db.prepare(`SELECT id FROM agent_messages WHERE session_id = ? AND ${TURN_START} ORDER BY id DESC LIMIT 1`);
  }

  /**
   * Takes the thread's Redo entries (removed turns, oldest first) out of the stack, as one JSON
   * text for a version that is being hidden; null when there are none. A Clear entry stays.
   */
  takeRedo(threadId: string): string | null {
    const entries = this.#turnEntries.all(threadId);
    if (entries.length === 0) return null;
    this.#dropTurns.run(threadId);
    return JSON.stringify(entries.map((entry) => ({ rows: entry.rows as string, versions: (entry.versions as string | null) ?? null })));
  }

  /** Puts back Redo entries {@link takeRedo} took, on top of the thread as it ends now. */
  putRedo(threadId: string, redo: string): void {
    const lastRowId = this.#pages.lastRowId(threadId);
    // Only the top entry's expectation counts: each Redo sets the next one's to the row it ends at.
    for (const entry of JSON.parse(redo) as { rows: string; versions: string | null }[]) {
      this.#push.run(threadId, 'turn', entry.rows, Date.now(), lastRowId, entry.versions);
    }
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
      const groups = this.#versions.detach(threadId, 0);
      this.#search.forgetFrom(threadId, 0);
      this.#answers.away(threadId, 0);
      this.#items.clear(threadId);
      this.#push.run(threadId, 'clear', JSON.stringify(rows.map((row) => row.data)), Date.now(), 0, groupsText(groups));
      return rows.length;
    });
  }

  /** Restores a Clear that was the latest change, else removes the last turn. */
  undo(threadId: string): HistoryEditResult {
    return this.#db.transaction(() => {
      // A Clear that something was written after is final: Undo then takes back that newer turn.
      const restored = this.undoClear(threadId);
      if (restored.status === 'done') return restored;
      const userRowId = this.newestUserRowId(threadId);
      if (userRowId === undefined) return { status: 'nothing' };
      // Redo stays valid only on top of what its entries saw: after an outside write they are
      // dropped rather than put back after history they never knew.
      const top = this.#top.get(threadId);
      if (top && !this.#expected(threadId, top)) this.#drop.run(threadId);
      const rows = this.#items.rowsFrom(threadId, userRowId).map((row) => row.data);
      const groups = this.#versions.detach(threadId, userRowId);
      this.#search.forgetFrom(threadId, userRowId);
      this.#answers.away(threadId, userRowId);
      this.#items.deleteFrom(threadId, userRowId);
      this.#push.run(threadId, 'turn', JSON.stringify(rows), Date.now(), this.#pages.lastRowId(threadId), groupsText(groups));
      return { status: 'done', kind: 'turnRemoved', items: parseItems(rows) };
    });
  }

  /**
   * Restores the cleared items only while the Clear is still the latest change (a message sent
   * since makes it final); `nothing` otherwise. The "cleared … Undo" notification uses this, so
   * a late click can never remove a newer turn instead.
   */
  undoClear(threadId: string): HistoryEditResult {
    return this.#restoreNewest(threadId, 'clear');
  }

  /** Puts back the newest removed turn. */
  redo(threadId: string): HistoryEditResult {
    return this.#restoreNewest(threadId, 'turn');
  }

  /** Re-appends the newest stack entry's rows when it is of `kind` and the thread still ends where it did. */
  #restoreNewest(threadId: string, kind: 'clear' | 'turn'): HistoryEditResult {
    return this.#db.transaction(() => {
      const top = this.#top.get(threadId);
      if (top?.kind !== kind) return { status: 'nothing' };
      if (!this.#expected(threadId, top)) {
        this.#drop.run(threadId);
        return { status: 'conflict' };
      }
      const rows = JSON.parse(top.rows as string) as string[];
      this.#remove.run(top.id as number);
      const before = this.#pages.lastRowId(threadId);
      this.#items.appendRows(threadId, rows);
      this.#answers.relink(threadId, before, rows);
      if (typeof top.versions === 'string') this.#versions.attach(threadId, before, JSON.parse(top.versions) as DetachedGroup[]);
      // The next entry expected the rows just restored; they are back under new ids.
      const next = this.#top.get(threadId);
      if (next) this.#expect.run(this.#pages.lastRowId(threadId), next.id as number);
      return { status: 'done', kind: kind === 'clear' ? 'clearUndone' : 'turnRestored', items: parseItems(rows) };
    });
  }

  /** True while the thread ends at the row the entry expects (entries from before version 2 expect nothing). */
  #expected(threadId: string, entry: Record<string, unknown>): boolean {
    if (entry.expected === null || entry.expected === undefined) return true;
    return this.#pages.lastRowId(threadId) === Number(entry.expected);
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

function groupsText(groups: readonly DetachedGroup[]): string | null {
  return groups.length > 0 ? JSON.stringify(groups) : null;
}
