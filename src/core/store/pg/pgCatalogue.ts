import { parseItem } from '../../session/session.ts';
import { DEFAULT_TITLE, NO_WORKSPACE } from '../../threads/adoption.ts';
import { messageText, oneLine } from '../../threads/itemText.ts';
import type { ThreadInfo } from '../historyStore.ts';
import type { Sql } from './pgDatabase.ts';

/**
 * The thread catalogue (`session_chat_threads`, `session_chat_current`) on the caller's
 * connection: the same rules as the SQLite store's (src/core/threads/threadStore.ts).
 */

const COLUMNS = 'id, workspace_key, title, created_at, updated_at, pinned';
/** Pinned first, then newest activity; creation order breaks ties. */
const ORDER = 'ORDER BY pinned DESC, updated_at DESC, created_at DESC, id DESC';
const TITLE_LENGTH = 60;
const PREVIEW_LENGTH = 80;

function toThread(row: Record<string, unknown>): ThreadInfo {
  return {
    id: row.id as string,
    workspaceKey: row.workspace_key as string,
    title: row.title as string,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    pinned: row.pinned === true,
  };
}

export async function listThreads(sql: Sql, workspaceKey?: string): Promise<ThreadInfo[]> {
  const found = workspaceKey === undefined
    ? await sql(`SELECT ${COLUMNS} FROM session_chat_threads ${ORDER}`)
    : await sql(`SELECT ${COLUMNS} FROM session_chat_threads WHERE workspace_key = $1 ${ORDER}`, [workspaceKey]);
  return found.rows.map(toThread);
}

export async function getThread(sql: Sql, threadId: string): Promise<ThreadInfo | undefined> {
  const found = await sql(`SELECT ${COLUMNS} FROM session_chat_threads WHERE id = $1`, [threadId]);
  return found.rows[0] ? toThread(found.rows[0]) : undefined;
}

/** Makes the thread's `agent_sessions` row and its catalogue row. */
export async function insertThread(sql: Sql, thread: ThreadInfo): Promise<void> {
  await sql('INSERT INTO agent_sessions (session_id) VALUES ($1) ON CONFLICT (session_id) DO NOTHING', [thread.id]);
  await sql(`INSERT INTO session_chat_threads (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)`, [
    thread.id, thread.workspaceKey, thread.title, thread.createdAt, thread.updatedAt, thread.pinned,
  ]);
}

/** Updates one column of a thread; throws on an unknown thread. */
export async function updateThread(sql: Sql, threadId: string, column: 'title' | 'pinned', value: string | boolean): Promise<ThreadInfo> {
  // The column is one of two constants, never user input.
  const found = await sql(`UPDATE session_chat_threads SET ${column} = $1 WHERE id = $2 RETURNING ${COLUMNS}`, [value, threadId]);
  if (!found.rows[0]) throw new Error(`No thread ${threadId}.`);
  return toThread(found.rows[0]);
}

/**
 * The bookkeeping of any change other than Undo/Redo, one statement: the thread's undo/redo stack
 * goes and it moves up the list. False when the catalogue does not know the thread.
 */
export async function touchThread(sql: Sql, threadId: string, now: number): Promise<boolean> {
  const found = await sql(
    'WITH dropped AS (DELETE FROM session_chat_undo WHERE thread_id = $2) UPDATE session_chat_threads SET updated_at = $1 WHERE id = $2',
    [now, threadId],
  );
  return (found.rowCount ?? 0) > 0;
}

/** Deletes the thread's rows in every table, the SDK's session row last. */
export async function deleteThreadRows(sql: Sql, threadId: string): Promise<void> {
  await sql('DELETE FROM agent_messages WHERE session_id = $1', [threadId]);
  // Undo entries, versions, operations and current pointers cascade from the thread row.
  await sql('DELETE FROM session_chat_threads WHERE id = $1', [threadId]);
  await sql('DELETE FROM agent_sessions WHERE session_id = $1', [threadId]);
}

export async function currentThreadId(sql: Sql, workspaceKey: string): Promise<string | undefined> {
  return (await sql('SELECT thread_id FROM session_chat_current WHERE workspace_key = $1', [workspaceKey])).rows[0]?.thread_id as string | undefined;
}

export async function setCurrentThread(sql: Sql, workspaceKey: string, threadId: string): Promise<void> {
  await sql(
    'INSERT INTO session_chat_current (workspace_key, thread_id) VALUES ($1, $2) ON CONFLICT (workspace_key) DO UPDATE SET thread_id = excluded.thread_id',
    [workspaceKey, threadId],
  );
}

/** A stored row's message text on one line for a preview; '' for anything else. */
function previewText(data: unknown): string {
  const item = typeof data === 'string' ? parseItem(data) : undefined;
  return item ? oneLine(messageText(item).slice(0, PREVIEW_LENGTH * 4), PREVIEW_LENGTH) : '';
}

const IS_MESSAGE = "(CASE WHEN message_data IS JSON OBJECT THEN (message_data::json ->> 'role') IN ('user', 'assistant') ELSE false END)";

/**
 * The newest user or assistant message text of each thread, one statement: the few newest
 * messages of each (the newest may carry no text: a refusal, an image).
 */
export async function previews(sql: Sql, threadIds: readonly string[]): Promise<Map<string, string>> {
  const result = new Map<string, string>(threadIds.map((id) => [id, '']));
  if (threadIds.length === 0) return result;
  const found = await sql(
    'SELECT t.id, n.data FROM unnest($1::text[]) AS t (id) CROSS JOIN LATERAL ' +
      `(SELECT message_data AS data FROM agent_messages WHERE session_id = t.id AND ${IS_MESSAGE} ORDER BY id DESC LIMIT 8) AS n`,
    [threadIds],
  );
  const done = new Set<string>();
  for (const row of found.rows) {
    const id = row.id as string;
    if (done.has(id)) continue;
    const text = previewText(row.data);
    if (text !== '') {
      result.set(id, text);
      done.add(id);
    }
  }
  return result;
}

/**
 * Gives every session without a thread row one (a session the SDK or a script wrote): title from
 * its first user message, times from `agent_sessions`, no workspace. Cheap when there are none.
 */
export async function adoptAll(sql: Sql): Promise<number> {
  const orphans = await sql(
    'SELECT s.session_id AS id, extract(epoch FROM s.created_at) * 1000 AS created, extract(epoch FROM s.updated_at) * 1000 AS updated, ' +
      "(SELECT m.message_data FROM agent_messages m WHERE m.session_id = s.session_id AND (CASE WHEN m.message_data IS JSON OBJECT THEN (m.message_data::json ->> 'role') = 'user' ELSE false END) ORDER BY m.id LIMIT 1) AS first_user " +
      'FROM agent_sessions s LEFT JOIN session_chat_threads t ON t.id = s.session_id WHERE t.id IS NULL',
  );
  for (const orphan of orphans.rows) {
    const item = typeof orphan.first_user === 'string' ? parseItem(orphan.first_user) : undefined;
    const title = (item ? oneLine(messageText(item), TITLE_LENGTH) : '') || DEFAULT_TITLE;
    const created = Math.round(Number(orphan.created)) || Date.now();
    await sql(`INSERT INTO session_chat_threads (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, false) ON CONFLICT (id) DO NOTHING`, [
      orphan.id, NO_WORKSPACE, title, created, Math.round(Number(orphan.updated)) || created,
    ]);
  }
  return orphans.rows.length;
}
