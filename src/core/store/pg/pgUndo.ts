import { parseItems } from '../../session/session.ts';
import type { DetachedGroup } from '../../versions/versionTable.ts';
import type { HistoryEditResult } from '../historyStore.ts';
import { answersAway, relinkAnswers } from './pgAnswers.ts';
import type { Sql } from './pgDatabase.ts';
import { appendRows, deleteFrom, lastRowId, newestTurnStart, rowsFrom } from './pgRows.ts';
import { PG_TURN_START } from './pgSchema.ts';
import { attach, detach } from './pgVersionTable.ts';

/**
 * Undo/redo per thread in `session_chat_undo`, with the same rules as the SQLite store's
 * `UndoStack` (src/core/threads/undoStack.ts explains them): one 'clear' entry or any number of
 * 'turn' entries; each remembers the row the thread ended at, and is refused (and dropped) when
 * the thread no longer ends there; groups of versions inside removed rows travel with the entry.
 * Every function runs on the caller's transaction, which has locked the thread (`lockThread`).
 */

interface Entry {
  id: number;
  kind: 'turn' | 'clear';
  rows: string;
  expected: number | null;
  versions: string | null;
}

async function top(sql: Sql, threadId: string): Promise<Entry | undefined> {
  const found = await sql(
    'SELECT id, kind, rows, expected_last_row_id AS expected, versions FROM session_chat_undo WHERE thread_id = $1 ORDER BY id DESC LIMIT 1',
    [threadId],
  );
  const row = found.rows[0];
  if (!row) return undefined;
  return { id: Number(row.id), kind: row.kind, rows: row.rows, expected: row.expected === null ? null : Number(row.expected), versions: row.versions ?? null };
}

async function push(sql: Sql, threadId: string, kind: 'turn' | 'clear', rows: string, expected: number, versions: string | null): Promise<void> {
  await sql('INSERT INTO session_chat_undo (thread_id, kind, rows, created_at, expected_last_row_id, versions) VALUES ($1, $2, $3, $4, $5, $6)', [
    threadId, kind, rows, Date.now(), expected, versions,
  ]);
}

/** Forgets the thread's undo/redo entries. */
export async function dropUndo(sql: Sql, threadId: string): Promise<void> {
  await sql('DELETE FROM session_chat_undo WHERE thread_id = $1', [threadId]);
}

/** True while the thread ends at the row the entry expects. */
async function expected(sql: Sql, threadId: string, entry: Entry): Promise<boolean> {
  return entry.expected === null || (await lastRowId(sql, threadId)) === entry.expected;
}

function groupsText(groups: readonly DetachedGroup[]): string | null {
  return groups.length > 0 ? JSON.stringify(groups) : null;
}

/** Takes the thread's Redo entries out of the stack as one JSON text (null when none), for a version being hidden. */
export async function takeRedo(sql: Sql, threadId: string): Promise<string | null> {
  const found = await sql("DELETE FROM session_chat_undo WHERE thread_id = $1 AND kind = 'turn' RETURNING id, rows, versions", [threadId]);
  if (found.rows.length === 0) return null;
  const entries = found.rows.sort((a, b) => Number(a.id) - Number(b.id));
  return JSON.stringify(entries.map((entry) => ({ rows: entry.rows as string, versions: (entry.versions as string | null) ?? null })));
}

/** Puts back Redo entries {@link takeRedo} took, on top of the thread as it ends now. */
export async function putRedo(sql: Sql, threadId: string, redo: string): Promise<void> {
  const last = await lastRowId(sql, threadId);
  for (const entry of JSON.parse(redo) as { rows: string; versions: string | null }[]) await push(sql, threadId, 'turn', entry.rows, last, entry.versions);
}

/** Removes every item of the thread, remembering them (and the versions) so Undo can restore them. */
export async function clearThread(sql: Sql, threadId: string): Promise<number> {
  const rows = await rowsFrom(sql, threadId, 0);
  if (rows.length === 0) return 0;
  await dropUndo(sql, threadId);
  const groups = await detach(sql, threadId, 0);
  await answersAway(sql, threadId, 0);
  await deleteFrom(sql, threadId, 0);
  await push(sql, threadId, 'clear', JSON.stringify(rows.map((row) => row.data)), 0, groupsText(groups));
  return rows.length;
}

/**
 * Restores a Clear that was the latest change, else removes the last turn (kept for Redo). The
 * turn's rows leave with `DELETE … RETURNING` and the entry records the row before them, so an
 * Undo is one statement per step.
 */
export async function undoTurn(sql: Sql, threadId: string): Promise<HistoryEditResult> {
  const entry = await top(sql, threadId);
  if (entry?.kind === 'clear') {
    const restored = await restore(sql, threadId, entry);
    if (restored.status === 'done') return restored;
  }
  // The last turn's start, and whether answer records count in it: one statement, so a thread
  // without records pays nothing more for them.
  const newest = await sql(
    'SELECT m.id, EXISTS (SELECT 1 FROM session_chat_answers a WHERE a.session_id = $1 AND a.row_id >= m.id AND a.live) AS answered ' +
      `FROM agent_messages m WHERE m.session_id = $1 AND ${PG_TURN_START} ORDER BY m.id DESC LIMIT 1`,
    [threadId],
  );
  if (newest.rows.length === 0) return { status: 'nothing' };
  const start = Number(newest.rows[0]!.id);
  // Redo stays valid only on top of what its entries saw: after an outside write they go.
  if (entry?.kind === 'turn' && !(await expected(sql, threadId, entry))) await dropUndo(sql, threadId);
  const groups = await detach(sql, threadId, start);
  if (newest.rows[0]!.answered === true) await answersAway(sql, threadId, start);
  const taken = await sql('DELETE FROM agent_messages WHERE session_id = $1 AND id >= $2 RETURNING id, message_data AS data', [threadId, start]);
  const rows = taken.rows.sort((a, b) => Number(a.id) - Number(b.id)).map((row) => row.data as string);
  await sql(
    'INSERT INTO session_chat_undo (thread_id, kind, rows, created_at, expected_last_row_id, versions) ' +
      "VALUES ($1::varchar, 'turn', $2, $3, (SELECT coalesce(max(id), 0) FROM agent_messages WHERE session_id = $1::varchar), $4)",
    [threadId, JSON.stringify(rows), Date.now(), groupsText(groups)],
  );
  return { status: 'done', kind: 'turnRemoved', items: parseItems(rows) };
}

/** Re-appends the newest entry's rows when it is of `kind` and the thread still ends where it did. */
export async function restoreNewest(sql: Sql, threadId: string, kind: 'clear' | 'turn'): Promise<HistoryEditResult> {
  const entry = await top(sql, threadId);
  return entry?.kind === kind ? restore(sql, threadId, entry) : { status: 'nothing' };
}

async function restore(sql: Sql, threadId: string, entry: Entry): Promise<HistoryEditResult> {
  const kind = entry.kind;
  if (!(await expected(sql, threadId, entry))) {
    await dropUndo(sql, threadId);
    return { status: 'conflict' };
  }
  const rows = JSON.parse(entry.rows) as string[];
  await sql('DELETE FROM session_chat_undo WHERE id = $1', [entry.id]);
  const before = await lastRowId(sql, threadId);
  const last = (await appendRows(sql, threadId, rows)) ?? before;
  // Their answer records waited for them: same texts, new ids.
  await relinkAnswers(sql, threadId, before, rows);
  if (entry.versions !== null) await attach(sql, threadId, before, JSON.parse(entry.versions) as DetachedGroup[]);
  // The next entry expected the rows just restored; they are back under new ids.
  const next = await top(sql, threadId);
  if (next) await sql('UPDATE session_chat_undo SET expected_last_row_id = $1 WHERE id = $2', [last, next.id]);
  return { status: 'done', kind: kind === 'clear' ? 'clearUndone' : 'turnRestored', items: parseItems(rows) };
}

/** Whether Undo and Redo have something to do. */
export async function undoState(sql: Sql, threadId: string): Promise<{ canUndo: boolean; canRedo: boolean }> {
  const entry = await top(sql, threadId);
  const canUndo = entry?.kind === 'clear' || (await newestTurnStart(sql, threadId)) !== undefined;
  return { canUndo, canRedo: entry?.kind === 'turn' };
}
