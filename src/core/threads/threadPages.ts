import { parseItem } from '../session/session.ts';
import type { Database, Statement } from '../session/sqliteDriver.ts';
import type { ItemPage, StoredItem } from '../store/historyStore.ts';
import { TURN_START } from './threadSchema.ts';

/** Larger than any row id: "before the end" for the newest page. */
const END = Number.MAX_SAFE_INTEGER;

/**
 * Pages of turns read through the turn index (`session_chat_turn_starts`): a page costs the rows
 * of its own turns, whatever the length of the thread. Every query names {@link TURN_START} as
 * the index spells it, so SQLite answers from the index.
 */
export class ThreadPages {
  readonly #turnStartsBefore: Statement;
  readonly #firstReadableRow: Statement;
  readonly #rowsBetween: Statement;
  readonly #lastRowId: Statement;
  readonly #newestRows: Statement;
  readonly #anyTurn: Statement;

  constructor(db: Database) {
    this.#turnStartsBefore = db.prepare(
      `SELECT id FROM agent_messages WHERE session_id = ? AND id < ? AND ${TURN_START} ORDER BY id DESC LIMIT ?`,
    );
    this.#firstReadableRow = db.prepare('SELECT id FROM agent_messages WHERE session_id = ? AND json_valid(message_data) ORDER BY id LIMIT 1');
    this.#rowsBetween = db.prepare('SELECT id, message_data AS data FROM agent_messages WHERE session_id = ? AND id >= ? AND id < ? ORDER BY id');
    this.#lastRowId = db.prepare('SELECT id FROM agent_messages WHERE session_id = ? ORDER BY id DESC LIMIT 1');
    this.#newestRows = db.prepare('SELECT id, message_data AS data FROM agent_messages WHERE session_id = ? ORDER BY id DESC LIMIT 8');
    this.#anyTurn = db.prepare(`SELECT id FROM agent_messages WHERE session_id = ? AND ${TURN_START} LIMIT 1`);
  }

  /** The thread's newest row id; 0 when it has no rows. */
  lastRowId(threadId: string): number {
    return Number(this.#lastRowId.get(threadId)?.id ?? 0);
  }

  /** True when the thread has a user message. */
  hasTurns(threadId: string): boolean {
    return this.#anyTurn.get(threadId) !== undefined;
  }

  /** The newest readable item; corrupt rows after it are passed over, as every read does. */
  lastItem(threadId: string): StoredItem | undefined {
    for (const row of this.#newestRows.all(threadId)) {
      const item = parseItem(row.data as string);
      if (item) return { rowId: Number(row.id), item };
    }
    return undefined;
  }

  /**
   * The `size` turns before the turn starting at `beforeId` (the newest turns when absent).
   * Items before the thread's first user message form a turn of their own, named by its first row.
   */
  page(threadId: string, size: number, beforeId: number = END): ItemPage {
    const want = Math.max(1, Math.floor(size));
    const starts = this.#turnStartsBefore.all(threadId, beforeId, want + 1).map((row) => Number(row.id));
    let start: number | undefined;
    let olderId: number | undefined;
    if (starts.length > want) {
      start = starts[want - 1];
      olderId = starts[want];
    } else {
      const first = Number(this.#firstReadableRow.get(threadId)?.id ?? 0) || undefined;
      const oldestStart = starts.at(-1) ?? beforeId;
      const preamble = first !== undefined && first < oldestStart ? first : undefined;
      if (preamble !== undefined && starts.length === want) {
        start = starts[want - 1];
        olderId = preamble;
      } else {
        start = preamble ?? starts.at(-1);
      }
    }
    if (start === undefined) return { items: [], hasOlder: false };
    const items: StoredItem[] = [];
    for (const row of this.#rowsBetween.all(threadId, start, beforeId)) {
      const item = parseItem(row.data as string);
      if (item) items.push({ rowId: Number(row.id), item });
    }
    return olderId === undefined ? { items, hasOlder: false } : { items, hasOlder: true, olderId };
  }
}
