import { DEFAULT_TITLE } from '../../threads/adoption.ts';
import { checkItems, digestOf, startsWith, validTime } from '../../threads/threadTransfer.ts';
import type { ThreadRecord, VersionGroupRecord } from '../../transfer/threadRecord.ts';
import type { ImportThreadResult, ThreadInfo } from '../historyStore.ts';
import { getThread, insertThread } from './pgCatalogue.ts';
import type { Sql } from './pgDatabase.ts';
import { appendRows } from './pgRows.ts';
import { insertSlot } from './pgVersionTable.ts';

/**
 * Threads in and out as {@link ThreadRecord}s on PostgreSQL, by the rules of the SQLite store's
 * `ThreadTransfer` (src/core/threads/threadTransfer.ts): items travel as their stored text (a round
 * trip is byte for byte), an import is one transaction (the caller's) and idempotent.
 */

/** The thread with every row as stored and its other versions; undefined for an unknown thread. */
export async function exportThread(sql: Sql, threadId: string): Promise<ThreadRecord | undefined> {
  const thread = await getThread(sql, threadId);
  if (!thread) return undefined;
  const items = (await sql('SELECT message_data FROM agent_messages WHERE session_id = $1 ORDER BY id', [threadId])).rows.map((row) => String(row.message_data));
  const record: ThreadRecord = { ...thread, items };
  const versions = await exportVersions(sql, threadId);
  if (versions.length > 0) record.versions = versions;
  return record;
}

async function exportVersions(sql: Sql, threadId: string): Promise<VersionGroupRecord[]> {
  const groups = new Map<number, VersionGroupRecord>();
  // The anchor's position, not its id: ids are new in the store that imports it.
  const found = await sql(
    'SELECT v.anchor_row_id AS anchor, v.version_index AS idx, v.rows, v.nested, v.created_at, ' +
      '(SELECT count(*) FROM agent_messages m WHERE m.session_id = v.thread_id AND m.id <= v.anchor_row_id) AS after ' +
      'FROM session_chat_versions v WHERE v.thread_id = $1 ORDER BY v.anchor_row_id, v.version_index',
    [threadId],
  );
  for (const row of found.rows) {
    const anchor = Number(row.anchor);
    let group = groups.get(anchor);
    if (!group) {
      group = { after: anchor === 0 ? 0 : Number(row.after), shown: 0, versions: [] };
      groups.set(anchor, group);
    }
    const index = Number(row.idx);
    if (row.rows === null) group.shown = index;
    group.versions.push({
      index,
      items: row.rows === null ? null : (JSON.parse(row.rows as string) as string[]),
      nested: (row.nested as string | null) ?? null,
      createdAt: Number(row.created_at),
    });
  }
  return [...groups.values()];
}

/** What an import needs of the store around it. */
export interface ImportHost {
  /** Appends rows as any other change does (drops the undo stack, moves the thread up). */
  appendChange(sql: Sql, threadId: string, rows: readonly string[]): Promise<void>;
  now(): number;
}

/** See `HistoryStore.importThread`; runs on the caller's transaction, which has locked the thread. */
export async function importThread(sql: Sql, record: ThreadRecord, workspaceKey: string, host: ImportHost): Promise<ImportThreadResult> {
  checkItems(record);
  const existing = await getThread(sql, record.id);
  if (!existing) return { status: 'created', thread: await create(sql, record, record.id, workspaceKey, record.title, host), added: record.items.length };
  const stored = (await sql('SELECT message_data FROM agent_messages WHERE session_id = $1 ORDER BY id', [record.id])).rows.map((row) => String(row.message_data));
  if (startsWith(stored, record.items)) return { status: 'unchanged', thread: existing, added: 0 };
  if (startsWith(record.items, stored)) {
    const newer = record.items.slice(stored.length);
    await host.appendChange(sql, record.id, newer);
    return { status: 'extended', thread: (await getThread(sql, record.id))!, added: newer.length };
  }
  const copyId = `${record.id}~${digestOf(record.items)}`;
  const copy = await getThread(sql, copyId);
  if (copy) return { status: 'unchanged', thread: copy, added: 0 };
  const thread = await create(sql, record, copyId, existing.workspaceKey, `${record.title} (imported)`, host);
  return { status: 'copied', thread, added: record.items.length };
}

async function create(sql: Sql, record: ThreadRecord, id: string, workspaceKey: string, title: string, host: ImportHost): Promise<ThreadInfo> {
  const now = host.now();
  const createdAt = validTime(record.createdAt) ?? now;
  const thread: ThreadInfo = { id, workspaceKey, title: title.trim() || DEFAULT_TITLE, createdAt, updatedAt: validTime(record.updatedAt) ?? createdAt, pinned: record.pinned };
  await insertThread(sql, thread);
  await appendRows(sql, id, record.items);
  if (record.versions) await importVersions(sql, id, record.versions, host);
  return thread;
}

async function importVersions(sql: Sql, threadId: string, groups: readonly VersionGroupRecord[], host: ImportHost): Promise<void> {
  const ids = (await sql('SELECT id FROM agent_messages WHERE session_id = $1 ORDER BY id', [threadId])).rows.map((row) => Number(row.id));
  for (const group of groups) {
    // A group whose turn is not in the items (a damaged file) is left out rather than misplaced.
    if (!Number.isInteger(group.after) || group.after < 0 || group.after >= ids.length) continue;
    const anchor = group.after === 0 ? 0 : ids[group.after - 1]!;
    for (const version of group.versions) {
      await insertSlot(sql, threadId, anchor, {
        index: version.index,
        rows: version.items === null ? null : JSON.stringify(version.items),
        nested: version.nested,
        redo: null,
        createdAt: validTime(version.createdAt) ?? host.now(),
      });
    }
  }
}
