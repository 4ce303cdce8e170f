import { parseItem } from '../session/session.ts';
import type { Item } from '../session/session.ts';
import type { Database, Row, Statement } from '../session/sqliteDriver.ts';
import type { SearchHit } from '../store/historyStore.ts';
import { TURN_START } from '../threads/threadSchema.ts';
import { foldText } from './fold.ts';
import { searchable } from './searchableText.ts';
import type { Searchable } from './searchableText.ts';
import { snippetOf } from './snippet.ts';

/** SQLite's `CURRENT_TIMESTAMP` text (UTC, 'YYYY-MM-DD HH:MM:SS') to epoch ms. */
function sqliteTimeToMs(value: unknown, fallback: number): number {
  if (typeof value !== 'string') return fallback;
  const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? fallback : ms;
}

/** A candidate row whose text holds every term. */
interface Matched {
  rowId: number;
  row: Row;
  item: Item;
  found: Searchable;
}

/** Rows read per statement when checking many candidates (one thread's, for find in thread). */
const BATCH = 500;

/** The row starts a turn, as `TURN_START` (threadSchema.ts) says in SQL: a user message. */
function isTurnStart(matched: Matched): boolean {
  const type = matched.item.type;
  return matched.found.role === 'user' && (type === undefined || type === null || type === 'message');
}

/**
 * Checks candidates and turns them into hits. The index keeps no text (it is contentless): a
 * candidate's item is read from `agent_messages` and its searchable text folded again, so the
 * check is exact, and a row another program deleted meanwhile simply fails it. Candidates are
 * read a batch per statement (`json_each` over their ids): a statement call costs more than the
 * row it reads.
 */
export class HitReader {
  readonly #rows: Statement;
  readonly #threads: Statement;
  readonly #turns: Statement;

  constructor(db: Database) {
    this.#rows = db.prepare(
      'SELECT m.id AS id, m.session_id AS thread_id, m.message_data AS data, m.created_at AS created_at ' +
        'FROM json_each(?) j JOIN agent_messages m ON m.id = j.value ORDER BY j.key',
    );
    this.#threads = db.prepare(
      'SELECT id, title, workspace_key, pinned, updated_at FROM session_chat_threads WHERE id IN (SELECT value FROM json_each(?))',
    );
    // The turn of a row: the newest user message up to it (the turn index answers), else the
    // thread's first readable row (items before the first question form a turn of their own).
    this.#turns = db.prepare(
      'SELECT j.value AS id, coalesce(' +
        `(SELECT u.id FROM agent_messages u WHERE u.session_id = m.session_id AND u.id <= m.id AND ${TURN_START} ORDER BY u.id DESC LIMIT 1), ` +
        '(SELECT f.id FROM agent_messages f WHERE f.session_id = m.session_id AND json_valid(f.message_data) ORDER BY f.id LIMIT 1)) AS turn_id ' +
        'FROM json_each(?) j JOIN agent_messages m ON m.id = j.value',
    );
  }

  #matching(rowIds: readonly number[], terms: readonly string[]): Matched[] {
    const matched: Matched[] = [];
    for (const row of this.#rows.all(JSON.stringify(rowIds))) {
      const item = parseItem(row.data as string);
      const found = item ? searchable(item) : undefined;
      if (!item || !found) continue;
      const folded = foldText(found.text);
      if (terms.every((term) => folded.includes(term))) matched.push({ rowId: Number(row.id), row, item, found });
    }
    return matched;
  }

  /** The ids among `rowIds` whose rows still exist and hold every term, in the given order. */
  matching(rowIds: readonly number[], terms: readonly string[]): number[] {
    const ids: number[] = [];
    for (let at = 0; at < rowIds.length; at += BATCH) ids.push(...this.#matching(rowIds.slice(at, at + BATCH), terms).map((m) => m.rowId));
    return ids;
  }

  /**
   * The hits among candidates `rowIds`, in their order: rows that no longer match, or whose
   * row or thread is gone, are left out. `threads` caches thread rows across calls of one search.
   */
  hits(rowIds: readonly number[], terms: readonly string[], threads: Map<string, Row | undefined>): SearchHit[] {
    const matched = this.#matching(rowIds, terms);
    const unknown = [...new Set(matched.map((m) => m.row.thread_id as string))].filter((id) => !threads.has(id));
    if (unknown.length > 0) {
      for (const id of unknown) threads.set(id, undefined);
      for (const thread of this.#threads.all(JSON.stringify(unknown))) threads.set(thread.id as string, thread);
    }
    const later = matched.filter((m) => !isTurnStart(m)).map((m) => m.rowId);
    const turns = new Map<number, number>();
    if (later.length > 0) for (const row of this.#turns.all(JSON.stringify(later))) turns.set(Number(row.id), Number(row.turn_id ?? row.id));
    const hits: SearchHit[] = [];
    for (const m of matched) {
      const threadId = m.row.thread_id as string;
      const thread = threads.get(threadId);
      if (!thread) continue;
      hits.push({
        threadId,
        threadTitle: thread.title as string,
        workspaceKey: thread.workspace_key as string,
        pinned: Number(thread.pinned) !== 0,
        rowId: m.rowId,
        turnId: turns.get(m.rowId) ?? m.rowId,
        role: m.found.role,
        ...snippetOf(m.found.text, terms),
        at: sqliteTimeToMs(m.row.created_at, Number(thread.updated_at)),
      });
    }
    return hits;
  }
}
