import type { Database, Statement } from '../session/sqliteDriver.ts';
import type { SearchIndex } from '../search/searchIndex.ts';
import type { AnswerTable } from '../threads/answerTable.ts';

/**
 * One version of a turn group as `session_chat_versions` keeps it. `rows` is null for the version
 * shown: its rows are the thread's rows after the anchor, in `agent_messages`.
 */
export interface VersionSlot {
  index: number;
  /** JSON array of the raw `message_data` texts of the version's suffix, oldest first. */
  rows: string | null;
  /** JSON of the groups inside that suffix ({@link DetachedGroup}[]), null when none. */
  nested: string | null;
  /** The version's Redo entries while it is hidden (`UndoStack.takeRedo`), null when none. */
  redo: string | null;
  createdAt: number;
}

/**
 * A turn group taken out of the table with the rows its anchor names (a hidden version, an undone
 * turn, a Clear): its anchor is kept as a position, because the rows get new ids when they come back.
 * `after` counts the taken rows up to and including the anchor; 0 means the row just before them.
 */
export interface DetachedGroup {
  after: number;
  slots: VersionSlot[];
}

/** A thread's suffix taken out of `agent_messages`, ready to be stored as a version. */
export interface HiddenSuffix {
  rows: string;
  nested: string | null;
  count: number;
}

/**
 * The versions of turns (`session_chat_versions`, schema version 4). A *turn group* is keyed by
 * its anchor: the id of the thread's last row before the turn (0 when the turn comes first). The
 * prefix up to the anchor is never touched by switching, so the key stays while the turn's own
 * rows change ids. Each version stores the whole suffix it stood for (the turn and everything
 * after it), which is exactly what another version replaced: a version costs its own rows plus one
 * table row, never a copy of the history before it. The version shown has `rows` null: its rows
 * are the thread's, so the SDK and the model read that version and nothing else.
 */
export class VersionTable {
  readonly #search: SearchIndex;
  readonly #answers: AnswerTable;
  readonly #slots: Statement;
  readonly #insertSlot: Statement;
  readonly #setRows: Statement;
  readonly #deleteGroup: Statement;
  readonly #groupsFrom: Statement;
  readonly #countUpTo: Statement;
  readonly #rowAt: Statement;
  readonly #anchorOf: Statement;
  readonly #suffix: Statement;
  readonly #deleteSuffix: Statement;
  readonly #insertRows: Statement;
  readonly #touchSession: Statement;
  readonly #ofTurns: Statement;
  readonly #deleteThread: Statement;
  readonly #rowExists: Statement;

  constructor(db: Database, search: SearchIndex, answers: AnswerTable) {
    this.#search = search;
    // A hidden version's answer records wait for its rows; showing it again re-links them.
    this.#answers = answers;
    this.#slots = db.prepare(
      'SELECT version_index AS idx, rows, nested, redo, created_at FROM session_chat_versions WHERE thread_id = ? AND anchor_row_id = ? ORDER BY version_index',
    );
    this.#insertSlot = db.prepare(
      'INSERT INTO session_chat_versions (thread_id, anchor_row_id, version_index, rows, nested, redo, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.#setRows = db.prepare('UPDATE session_chat_versions SET rows = ?, nested = ?, redo = ? WHERE thread_id = ? AND anchor_row_id = ? AND version_index = ?');
    this.#deleteGroup = db.prepare('DELETE FROM session_chat_versions WHERE thread_id = ? AND anchor_row_id = ?');
    this.#groupsFrom = db.prepare('SELECT DISTINCT anchor_row_id AS anchor FROM session_chat_versions WHERE thread_id = ? AND anchor_row_id >= ? ORDER BY anchor_row_id');
    this.#countUpTo = db.prepare('SELECT count(*) AS n FROM agent_messages WHERE session_id = ? AND id >= ? AND id <= ?');
    this.#rowAt = db.prepare('SELECT id FROM agent_messages WHERE session_id = ? AND id > ? ORDER BY id LIMIT 1 OFFSET ?');
    this.#anchorOf = db.prepare('SELECT max(id) AS id FROM agent_messages WHERE session_id = ? AND id < ?');
    // One statement each way, in SQLite's own JSON code: a suffix of ten thousand rows moves
    // without a JavaScript call per row.
    this.#suffix = db.prepare(
      'SELECT json_group_array(message_data ORDER BY id) AS rows, count(*) AS n FROM agent_messages WHERE session_id = ? AND id > ?',
    );
    this.#deleteSuffix = db.prepare('DELETE FROM agent_messages WHERE session_id = ? AND id > ?');
    this.#insertRows = db.prepare('INSERT INTO agent_messages (session_id, message_data) SELECT ?, value FROM json_each(?) ORDER BY key');
    this.#touchSession = db.prepare('UPDATE agent_sessions SET updated_at = CURRENT_TIMESTAMP WHERE session_id = ?');
    // Each turn's anchor is the row just before it: one indexed look-up per turn, one statement per page.
    this.#ofTurns = db.prepare(
      'SELECT t.value AS turn_id, v.version_index AS idx, v.rows IS NULL AS shown FROM json_each(?) AS t ' +
        'JOIN session_chat_versions AS v ON v.thread_id = ? AND v.anchor_row_id = ' +
        'coalesce((SELECT max(id) FROM agent_messages WHERE session_id = ? AND id < t.value), 0)',
    );
    this.#deleteThread = db.prepare('DELETE FROM session_chat_versions WHERE thread_id = ?');
    this.#rowExists = db.prepare('SELECT 1 AS found FROM agent_messages WHERE session_id = ? AND id = ?');
  }

  /** The anchor of the turn starting at `turnId`: the thread's row just before it, 0 when none. */
  anchorOf(threadId: string, turnId: number): number {
    return Number(this.#anchorOf.get(threadId, turnId)?.id ?? 0);
  }

  /** The versions of the group at `anchor`, by index; empty when the turn has one version. */
  slots(threadId: string, anchor: number): VersionSlot[] {
    return this.#slots.all(threadId, anchor).map((row) => ({
      index: Number(row.idx),
      rows: (row.rows as string | null) ?? null,
      nested: (row.nested as string | null) ?? null,
      redo: (row.redo as string | null) ?? null,
      createdAt: Number(row.created_at),
    }));
  }

  insertSlot(threadId: string, anchor: number, slot: VersionSlot): void {
    this.#insertSlot.run(threadId, anchor, slot.index, slot.rows, slot.nested, slot.redo ?? null, slot.createdAt);
  }

  /** Stores a version's rows, its inner groups and its Redo entries (all null: it is the one shown now). */
  setRows(threadId: string, anchor: number, index: number, rows: string | null, nested: string | null, redo: string | null = null): void {
    this.#setRows.run(rows, nested, redo, threadId, anchor, index);
  }

  /** For the turns of a page: those with several versions, and which one is shown. */
  versionsOf(threadId: string, turnIds: readonly number[]): Map<number, { index: number; count: number }> {
    const found = new Map<number, { index: number; count: number }>();
    if (turnIds.length === 0) return found;
    for (const row of this.#ofTurns.all(JSON.stringify(turnIds), threadId, threadId)) {
      const turnId = Number(row.turn_id);
      const entry = found.get(turnId) ?? { index: -1, count: 0 };
      entry.count++;
      if (Number(row.shown) !== 0) entry.index = Number(row.idx);
      found.set(turnId, entry);
    }
    for (const [turnId, entry] of found) if (entry.count < 2 || entry.index < 0) found.delete(turnId);
    return found;
  }

  /**
   * Takes the thread's rows after `anchor` out of `agent_messages` (and out of the search index),
   * with the groups anchored inside them; returns them as a version stores them.
   */
  hideSuffix(threadId: string, anchor: number): HiddenSuffix {
    const row = this.#suffix.get(threadId, anchor);
    const nested = this.detach(threadId, anchor + 1);
    this.#search.forgetFrom(threadId, anchor + 1);
    this.#answers.away(threadId, anchor + 1);
    this.#deleteSuffix.run(threadId, anchor);
    return { rows: String(row?.rows ?? '[]'), nested: nested.length > 0 ? JSON.stringify(nested) : null, count: Number(row?.n ?? 0) };
  }

  /**
   * Appends a stored version's rows to the thread, which must end at `anchor`, and puts back the
   * groups inside them and their answer records on their new row ids. The search index sees them as
   * new rows (it catches up).
   * Returns the id of the first row appended (undefined when none).
   */
  showSuffix(threadId: string, anchor: number, rows: string, nested: string | null): number | undefined {
    this.#insertRows.run(threadId, rows);
    this.#touchSession.run(threadId);
    this.#answers.relink(threadId, anchor, rows);
    if (nested !== null) this.attach(threadId, anchor, JSON.parse(nested) as DetachedGroup[]);
    const first = this.#rowAt.get(threadId, anchor, 0);
    return first ? Number(first.id) : undefined;
  }

  /**
   * Takes out the groups anchored at or after `fromRowId` (call before those rows are deleted),
   * each with its anchor as a position among the rows from `fromRowId` on.
   */
  detach(threadId: string, fromRowId: number): DetachedGroup[] {
    const groups: DetachedGroup[] = [];
    for (const row of this.#groupsFrom.all(threadId, fromRowId)) {
      const anchor = Number(row.anchor);
      // An anchor row another program deleted leaves a group no turn can reach: it goes, rather
      // than come back on whichever row now stands at its place.
      const live = anchor === 0 || this.#rowExists.get(threadId, anchor) !== undefined;
      const after = Number(this.#countUpTo.get(threadId, fromRowId, anchor)?.n ?? 0);
      if (live) groups.push({ after, slots: this.slots(threadId, anchor) });
      this.#deleteGroup.run(threadId, anchor);
    }
    return groups;
  }

  /** Puts back groups {@link detach} took, after their rows were appended after the row `before`. */
  attach(threadId: string, before: number, groups: readonly DetachedGroup[]): void {
    for (const group of groups) {
      const anchor = group.after === 0 ? before : Number(this.#rowAt.get(threadId, before, group.after - 1)?.id ?? NaN);
      // Rows missing (changed behind our back): the group has nothing left to hang on.
      if (!Number.isFinite(anchor) || this.#slots.get(threadId, anchor) !== undefined) continue;
      for (const slot of group.slots) this.insertSlot(threadId, anchor, slot);
    }
  }

  /** Forgets every version of the thread (it is deleted, or its session cleared for good). */
  deleteThread(threadId: string): void {
    this.#deleteThread.run(threadId);
  }

  /** Forgets groups anchored at or after `fromRowId`: their rows were replaced. */
  dropFrom(threadId: string, fromRowId: number): void {
    this.detach(threadId, fromRowId);
  }
}
