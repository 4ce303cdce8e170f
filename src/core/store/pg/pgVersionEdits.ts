import { userItem } from '../../model/items.ts';
import type { NewVersionResult, SwitchVersionResult, VersionTarget } from '../historyStore.ts';
import type { Sql } from './pgDatabase.ts';
import { lastRowId, lockThread, turnStartText } from './pgRows.ts';
import { putRedo, takeRedo } from './pgUndo.ts';
import { anchorOf, hideSuffix, insertSlot, setRows, showSuffix, slots } from './pgVersionTable.ts';

/**
 * Edit, regenerate and switch on PostgreSQL, each on one transaction (the caller's) that first
 * locks the thread and applies only while the thread ends at the row the caller saw: the same
 * steps as `VersionEdits` on SQLite (src/core/versions/versionEdits.ts). `changed` is the
 * bookkeeping of any change other than Undo/Redo (the stack goes, the thread moves up the list).
 */
export type Changed = (sql: Sql, threadId: string) => Promise<void>;

/** See `HistoryStore.editQuestion`. */
export function editQuestion(sql: Sql, threadId: string, turnId: number, text: string, expected: number, changed: Changed): Promise<NewVersionResult> {
  if (text.trim() === '') throw new Error('An edited question cannot be empty.');
  const question = JSON.stringify(userItem(text));
  return newVersion(sql, threadId, turnId, expected, changed, () => question);
}

/** See `HistoryStore.regenerate`: the new version starts with the question's own text, byte for byte. */
export function regenerate(sql: Sql, threadId: string, turnId: number, expected: number, changed: Changed): Promise<NewVersionResult> {
  return newVersion(sql, threadId, turnId, expected, changed, (original) => original);
}

async function newVersion(sql: Sql, threadId: string, turnId: number, expected: number, changed: Changed, question: (original: string) => string): Promise<NewVersionResult> {
  await lockThread(sql, threadId);
  const last = await lastRowId(sql, threadId);
  const start = await turnStartText(sql, threadId, turnId);
  if (last !== expected || start === undefined) return { status: 'conflict', lastRowId: last };
  const anchor = await anchorOf(sql, threadId, turnId);
  const existing = await slots(sql, threadId, anchor);
  const redo = await takeRedo(sql, threadId);
  const hidden = await hideSuffix(sql, threadId, anchor);
  const now = Date.now();
  const shown = existing.find((slot) => slot.rows === null);
  // The first edit of a turn makes its group: the original becomes version 0.
  if (shown) await setRows(sql, threadId, anchor, shown.index, hidden.rows, hidden.nested, redo);
  else await insertSlot(sql, threadId, anchor, { index: existing.length, rows: hidden.rows, nested: hidden.nested, redo, createdAt: now });
  const index = Math.max(-1, ...existing.map((slot) => slot.index)) + (shown ? 1 : 2);
  await insertSlot(sql, threadId, anchor, { index, rows: null, nested: null, redo: null, createdAt: now });
  const inserted = await sql('INSERT INTO agent_messages (session_id, message_data, created_at) VALUES ($1, $2, clock_timestamp()) RETURNING id', [
    threadId, question(start),
  ]);
  const questionRowId = Number(inserted.rows[0]!.id);
  await changed(sql, threadId);
  return { status: 'done', questionRowId, lastRowId: questionRowId, versions: { index, count: existing.length + (shown ? 1 : 2) } };
}

/** See `HistoryStore.switchVersion`. */
export async function switchVersion(sql: Sql, threadId: string, turnId: number, target: VersionTarget, expected: number, changed: Changed): Promise<SwitchVersionResult> {
  await lockThread(sql, threadId);
  const last = await lastRowId(sql, threadId);
  if (last !== expected || (await turnStartText(sql, threadId, turnId)) === undefined) return { status: 'conflict', lastRowId: last };
  const anchor = await anchorOf(sql, threadId, turnId);
  const all = await slots(sql, threadId, anchor);
  const position = all.findIndex((slot) => slot.rows === null);
  const wanted = target === 'previous' ? position - 1 : target === 'next' ? position + 1 : all.findIndex((slot) => slot.index === target);
  const chosen = all[wanted];
  if (position < 0 || !chosen || chosen.rows === null) {
    // Asking for the version already shown changes nothing and is no conflict.
    if (position >= 0 && chosen?.rows === null) return { status: 'done', turnId, lastRowId: last, versions: { index: chosen.index, count: all.length } };
    return { status: 'conflict', lastRowId: last };
  }
  const redo = await takeRedo(sql, threadId);
  const hidden = await hideSuffix(sql, threadId, anchor);
  await setRows(sql, threadId, anchor, all[position]!.index, hidden.rows, hidden.nested, redo);
  await changed(sql, threadId);
  const newTurnId = await showSuffix(sql, threadId, anchor, chosen.rows, chosen.nested);
  await setRows(sql, threadId, anchor, chosen.index, null, null, null);
  if (chosen.redo !== null) await putRedo(sql, threadId, chosen.redo);
  return { status: 'done', turnId: newTurnId ?? anchor, lastRowId: await lastRowId(sql, threadId), versions: { index: chosen.index, count: all.length } };
}
