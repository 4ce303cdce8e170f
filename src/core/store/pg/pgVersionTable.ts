import type { DetachedGroup, HiddenSuffix, VersionSlot } from '../../versions/versionTable.ts';
import { answersAway, relinkAnswers } from './pgAnswers.ts';
import type { Sql } from './pgDatabase.ts';

/**
 * The versions of turns in `session_chat_versions`, as `VersionTable` keeps them on SQLite (see
 * src/core/versions/versionTable.ts for the design: a turn group is keyed by its anchor, the
 * thread's row before the turn; a hidden version keeps its whole suffix as a JSON array of raw
 * row texts; the version shown has `rows` NULL). Same JSON shapes, so a thread moves between the
 * two stores as it is. Every function runs on the caller's transaction.
 */

/** The anchor of the turn starting at `turnId`: the thread's row just before it, 0 when none. */
export async function anchorOf(sql: Sql, threadId: string, turnId: number): Promise<number> {
  const found = await sql('SELECT max(id) AS id FROM agent_messages WHERE session_id = $1 AND id < $2', [threadId, turnId]);
  return Number(found.rows[0]?.id ?? 0);
}

/** The versions of the group at `anchor`, by index; empty when the turn has one version. */
export async function slots(sql: Sql, threadId: string, anchor: number): Promise<VersionSlot[]> {
  const found = await sql(
    'SELECT version_index AS idx, rows, nested, redo, created_at FROM session_chat_versions WHERE thread_id = $1 AND anchor_row_id = $2 ORDER BY version_index',
    [threadId, anchor],
  );
  return found.rows.map((row) => ({
    index: Number(row.idx),
    rows: (row.rows as string | null) ?? null,
    nested: (row.nested as string | null) ?? null,
    redo: (row.redo as string | null) ?? null,
    createdAt: Number(row.created_at),
  }));
}

export async function insertSlot(sql: Sql, threadId: string, anchor: number, slot: VersionSlot): Promise<void> {
  await sql(
    'INSERT INTO session_chat_versions (thread_id, anchor_row_id, version_index, rows, nested, redo, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)',
    [threadId, anchor, slot.index, slot.rows, slot.nested, slot.redo ?? null, slot.createdAt],
  );
}

/** Stores a version's rows, inner groups and Redo entries (all null: it is the one shown now). */
export async function setRows(sql: Sql, threadId: string, anchor: number, index: number, rows: string | null, nested: string | null, redo: string | null = null): Promise<void> {
  await sql('UPDATE session_chat_versions SET rows = $1, nested = $2, redo = $3 WHERE thread_id = $4 AND anchor_row_id = $5 AND version_index = $6', [
    rows, nested, redo, threadId, anchor, index,
  ]);
}

/** For the turns of a page: those with several versions, and which one is shown. One statement. */
export async function versionsOf(sql: Sql, threadId: string, turnIds: readonly number[]): Promise<Map<number, { index: number; count: number }>> {
  const found = new Map<number, { index: number; count: number }>();
  if (turnIds.length === 0) return found;
  const rows = await sql(
    'SELECT t.turn_id, v.version_index AS idx, v.rows IS NULL AS shown FROM unnest($1::int[]) AS t (turn_id) ' +
      'JOIN session_chat_versions AS v ON v.thread_id = $2 AND v.anchor_row_id = ' +
      'coalesce((SELECT max(m.id) FROM agent_messages m WHERE m.session_id = $2 AND m.id < t.turn_id), 0)',
    [turnIds, threadId],
  );
  for (const row of rows.rows) {
    const turnId = Number(row.turn_id);
    const entry = found.get(turnId) ?? { index: -1, count: 0 };
    entry.count++;
    if (row.shown === true) entry.index = Number(row.idx);
    found.set(turnId, entry);
  }
  for (const [turnId, entry] of found) if (entry.count < 2 || entry.index < 0) found.delete(turnId);
  return found;
}

/**
 * Takes out the groups anchored at or after `fromRowId` (call before those rows are deleted),
 * each with its anchor as a position among the rows from `fromRowId` on.
 */
export async function detach(sql: Sql, threadId: string, fromRowId: number): Promise<DetachedGroup[]> {
  const groups: DetachedGroup[] = [];
  const anchors = await sql(
    'SELECT DISTINCT anchor_row_id AS anchor FROM session_chat_versions WHERE thread_id = $1 AND anchor_row_id >= $2 ORDER BY anchor_row_id',
    [threadId, fromRowId],
  );
  for (const row of anchors.rows) {
    const anchor = Number(row.anchor);
    // An anchor row another program deleted leaves a group no turn can reach: it goes.
    const live = anchor === 0 || (await sql('SELECT 1 FROM agent_messages WHERE session_id = $1 AND id = $2', [threadId, anchor])).rows.length > 0;
    if (live) {
      const counted = await sql('SELECT count(*) AS n FROM agent_messages WHERE session_id = $1 AND id >= $2 AND id <= $3', [threadId, fromRowId, anchor]);
      groups.push({ after: Number(counted.rows[0]?.n ?? 0), slots: await slots(sql, threadId, anchor) });
    }
    await sql('DELETE FROM session_chat_versions WHERE thread_id = $1 AND anchor_row_id = $2', [threadId, anchor]);
  }
  return groups;
}

/** The id of the row `offset` places after the row `after` (0-based); undefined when there is none. */
async function rowAt(sql: Sql, threadId: string, after: number, offset: number): Promise<number | undefined> {
  const found = await sql('SELECT id FROM agent_messages WHERE session_id = $1 AND id > $2 ORDER BY id LIMIT 1 OFFSET $3', [threadId, after, offset]);
  return found.rows.length > 0 ? Number(found.rows[0]!.id) : undefined;
}

/** Puts back groups {@link detach} took, after their rows were appended after the row `before`. */
export async function attach(sql: Sql, threadId: string, before: number, groups: readonly DetachedGroup[]): Promise<void> {
  for (const group of groups) {
    const anchor = group.after === 0 ? before : await rowAt(sql, threadId, before, group.after - 1);
    // Rows missing (changed behind our back): the group has nothing left to hang on.
    if (anchor === undefined) continue;
    if ((await slots(sql, threadId, anchor)).length > 0) continue;
    for (const slot of group.slots) await insertSlot(sql, threadId, anchor, slot);
  }
}

/**
 * Takes the thread's rows after `anchor` out of `agent_messages` (their search entries cascade),
 * with the groups anchored inside them; returns them as a version stores them. The JSON array is
 * built by the server (`json_agg` keeps each text byte for byte).
 */
export async function hideSuffix(sql: Sql, threadId: string, anchor: number): Promise<HiddenSuffix> {
  const found = await sql(
    "SELECT coalesce(json_agg(message_data ORDER BY id), '[]'::json)::text AS rows, count(*) AS n FROM agent_messages WHERE session_id = $1 AND id > $2",
    [threadId, anchor],
  );
  const nested = await detach(sql, threadId, anchor + 1);
  await answersAway(sql, threadId, anchor + 1);
  await sql('DELETE FROM agent_messages WHERE session_id = $1 AND id > $2', [threadId, anchor]);
  const row = found.rows[0];
  return { rows: String(row?.rows ?? '[]'), nested: nested.length > 0 ? JSON.stringify(nested) : null, count: Number(row?.n ?? 0) };
}

/**
 * Appends a stored version's rows to the thread, which must end at `anchor`, and puts back the
 * groups inside them and their answer records on their new row ids. Returns the id of the first row appended.
 */
export async function showSuffix(sql: Sql, threadId: string, anchor: number, rows: string, nested: string | null): Promise<number | undefined> {
  const inserted = await sql(
    'INSERT INTO agent_messages (session_id, message_data, created_at) ' +
      'SELECT $1, r.data, t.at FROM (SELECT clock_timestamp() AS at) AS t, json_array_elements_text($2::json) WITH ORDINALITY AS r (data, n) ORDER BY r.n RETURNING id',
    [threadId, rows],
  );
  await sql('UPDATE agent_sessions SET updated_at = CURRENT_TIMESTAMP WHERE session_id = $1', [threadId]);
  await relinkAnswers(sql, threadId, anchor, rows);
  if (nested !== null) await attach(sql, threadId, anchor, JSON.parse(nested) as DetachedGroup[]);
  let first: number | undefined;
  for (const row of inserted.rows) first = Math.min(first ?? Infinity, Number(row.id));
  return first;
}

/** Forgets every version of the thread (it is deleted, or its session cleared for good). */
export async function deleteVersions(sql: Sql, threadId: string): Promise<void> {
  await sql('DELETE FROM session_chat_versions WHERE thread_id = $1', [threadId]);
}
