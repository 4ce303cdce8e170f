import { userItem } from '../model/items.ts';
import type { Database, Statement } from '../session/sqliteDriver.ts';
import type { NewVersionResult, SwitchVersionResult, TurnVersions, VersionTarget } from '../store/historyStore.ts';
import { TURN_START } from '../threads/threadSchema.ts';
import type { VersionTable } from './versionTable.ts';

/** What the edits need from the thread store around them. */
export interface VersionEditHost {
  /** The thread's newest row id (0 when empty). */
  lastRowId(threadId: string): number;
  /** Bookkeeping of any change other than undo/redo: drops the undo/redo stack, bumps the thread. */
  changed(threadId: string): void;
  /** Takes the Redo entries of the version shown (JSON), to keep with it while it is hidden. */
  takeRedo(threadId: string): string | null;
  /** Gives a version shown again its Redo entries back. */
  putRedo(threadId: string, redo: string): void;
  /** Epoch ms for a new version's `created_at`. */
  now(): number;
}

/**
 * Edit, regenerate and switch: each one transaction that applies only while the thread ends at the
 * row the caller saw. The thread's session always holds exactly the version shown; see
 * {@link VersionTable} for where the others live.
 */
export class VersionEdits {
  readonly #db: Database;
  readonly #table: VersionTable;
  readonly #host: VersionEditHost;
  readonly #turnStart: Statement;
  readonly #appendRow: Statement;

  constructor(db: Database, table: VersionTable, host: VersionEditHost) {
    this.#db = db;
    this.#table = table;
    this.#host = host;
    this.#turnStart = db.prepare(`SELECT message_data AS data FROM agent_messages WHERE session_id = ? AND id = ? AND ${TURN_START}`);
    this.#appendRow = db.prepare('INSERT INTO agent_messages (session_id, message_data) VALUES (?, ?)');
  }

  /** See `HistoryStore.editQuestion`. */
  edit(threadId: string, turnId: number, text: string, expectedLastRowId: number): NewVersionResult {
    if (text.trim() === '') throw new Error('An edited question cannot be empty.');
    const question = JSON.stringify(userItem(text));
    return this.#newVersion(threadId, turnId, expectedLastRowId, () => question);
  }

  /** See `HistoryStore.regenerate`: the new version starts with the question's own text, byte for byte. */
  regenerate(threadId: string, turnId: number, expectedLastRowId: number): NewVersionResult {
    return this.#newVersion(threadId, turnId, expectedLastRowId, (original) => original);
  }

  #newVersion(threadId: string, turnId: number, expected: number, question: (original: string) => string): NewVersionResult {
    return this.#db.transaction(() => {
      const lastRowId = this.#host.lastRowId(threadId);
      const start = this.#turnStart.get(threadId, turnId);
      if (lastRowId !== expected || !start) return { status: 'conflict', lastRowId };
      const anchor = this.#table.anchorOf(threadId, turnId);
      const slots = this.#table.slots(threadId, anchor);
      const redo = this.#host.takeRedo(threadId);
      const hidden = this.#table.hideSuffix(threadId, anchor);
      const now = this.#host.now();
      const shown = slots.find((slot) => slot.rows === null);
      // The first edit of a turn makes its group: the original becomes version 0.
      if (shown) this.#table.setRows(threadId, anchor, shown.index, hidden.rows, hidden.nested, redo);
      else this.#table.insertSlot(threadId, anchor, { index: slots.length, rows: hidden.rows, nested: hidden.nested, redo, createdAt: now });
      const index = Math.max(-1, ...slots.map((slot) => slot.index)) + (shown ? 1 : 2);
      this.#table.insertSlot(threadId, anchor, { index, rows: null, nested: null, redo: null, createdAt: now });
      const questionRowId = Number(this.#appendRow.run(threadId, question(start.data as string)).lastInsertRowid);
      this.#host.changed(threadId);
      const versions: TurnVersions = { index, count: slots.length + (shown ? 1 : 2) };
      return { status: 'done', questionRowId, lastRowId: questionRowId, versions };
    });
  }

  /** See `HistoryStore.switchVersion`. */
  switchTo(threadId: string, turnId: number, target: VersionTarget, expected: number): SwitchVersionResult {
    return this.#db.transaction(() => {
      const lastRowId = this.#host.lastRowId(threadId);
      if (lastRowId !== expected || !this.#turnStart.get(threadId, turnId)) return { status: 'conflict', lastRowId };
      const anchor = this.#table.anchorOf(threadId, turnId);
      const slots = this.#table.slots(threadId, anchor);
      const position = slots.findIndex((slot) => slot.rows === null);
      const wanted = target === 'previous' ? position - 1 : target === 'next' ? position + 1 : slots.findIndex((slot) => slot.index === target);
      const chosen = slots[wanted];
      if (position < 0 || !chosen || chosen.rows === null) {
        // Asking for the version already shown changes nothing and is no conflict.
        if (position >= 0 && chosen?.rows === null) return { status: 'done', turnId, lastRowId, versions: { index: chosen.index, count: slots.length } };
        return { status: 'conflict', lastRowId };
      }
      const redo = this.#host.takeRedo(threadId);
      const hidden = this.#table.hideSuffix(threadId, anchor);
      this.#table.setRows(threadId, anchor, slots[position]!.index, hidden.rows, hidden.nested, redo);
      this.#host.changed(threadId);
      const newTurnId = this.#table.showSuffix(threadId, anchor, chosen.rows, chosen.nested);
      this.#table.setRows(threadId, anchor, chosen.index, null, null, null);
      if (chosen.redo !== null) this.#host.putRedo(threadId, chosen.redo);
      return {
        status: 'done',
        turnId: newTurnId ?? anchor,
        lastRowId: this.#host.lastRowId(threadId),
        versions: { index: chosen.index, count: slots.length },
      };
    });
  }
}
