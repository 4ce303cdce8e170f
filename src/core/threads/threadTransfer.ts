import { createHash } from 'node:crypto';
import type { ColumnStatement, Database, Statement } from '../session/sqliteDriver.ts';
import type { ItemTable } from '../session/itemTable.ts';
import type { ThreadInfo } from '../store/historyStore.ts';
import type { ImportThreadResult } from '../store/historyStore.ts';
import type { ThreadRecord, VersionGroupRecord } from '../transfer/threadRecord.ts';
import type { VersionTable } from '../versions/versionTable.ts';
import { VersionRecords } from '../transfer/versionRecords.ts';
import { DEFAULT_TITLE } from './adoption.ts';

/** What {@link ThreadTransfer} needs of the store around it. */
export interface TransferHost {
  getThread(threadId: string): ThreadInfo | undefined;
  /** Appends rows as any other change does (drops the undo stack, moves the thread up); returns the last row id. */
  appendChange(threadId: string, rows: readonly string[]): number;
  now(): number;
}

/**
 * Threads in and out as {@link ThreadRecord}s, for export files and imports. Every item travels as
 * its stored `message_data` text, so a round trip is byte for byte. An import is one transaction
 * per thread (the caller's), and is idempotent: a thread is found again by its id, and only items
 * it does not have yet are added.
 */
export class ThreadTransfer {
  readonly #items: ItemTable;
  readonly #versions: VersionTable;
  readonly #host: TransferHost;
  readonly #rows: ColumnStatement;
  readonly #rowIds: ColumnStatement;
  readonly #versionRecords: VersionRecords;
  readonly #insertThread: Statement;

  constructor(db: Database, items: ItemTable, versions: VersionTable, host: TransferHost) {
    this.#items = items;
    this.#versions = versions;
    this.#host = host;
    this.#rows = db.prepareColumn('SELECT message_data FROM agent_messages WHERE session_id = ? ORDER BY id');
    this.#rowIds = db.prepareColumn('SELECT id FROM agent_messages WHERE session_id = ? ORDER BY id');
    this.#versionRecords = new VersionRecords(db);
    this.#insertThread = db.prepare(
      'INSERT INTO session_chat_threads (id, workspace_key, title, created_at, updated_at, pinned) VALUES (?, ?, ?, ?, ?, ?)',
    );
  }

  /** The thread with every row as stored and its other versions; undefined for an unknown thread. */
  exportThread(threadId: string): ThreadRecord | undefined {
    const thread = this.#host.getThread(threadId);
    if (!thread) return undefined;
    const record: ThreadRecord = {
      id: thread.id,
      title: thread.title,
      workspaceKey: thread.workspaceKey,
      createdAt: thread.createdAt,
      updatedAt: thread.updatedAt,
      pinned: thread.pinned,
      items: this.#rows.all(threadId).map(String),
    };
    const versions = this.#versionRecords.read(threadId);
    if (versions.length > 0) record.versions = versions;
    return record;
  }

  /**
   * Imports one thread (inside the caller's transaction). Unknown id: a new thread in
   * `workspaceKey` with the record's title, times, pin, items and versions. Known id whose items
   * begin the record's: only the newer items are added. Known id whose items already hold the
   * record's: nothing changes. Otherwise the two have gone apart (edited or undone on one side):
   * the record becomes a thread of its own beside it, found again by the same derived id next time.
   */
  importThread(record: ThreadRecord, workspaceKey: string): ImportThreadResult {
    checkItems(record);
    const existing = this.#host.getThread(record.id);
    if (!existing) return { status: 'created', thread: this.#create(record, record.id, workspaceKey, record.title), added: record.items.length };
    const stored = this.#rows.all(record.id).map(String);
    if (startsWith(stored, record.items)) return { status: 'unchanged', thread: existing, added: 0 };
    if (startsWith(record.items, stored)) {
      const newer = record.items.slice(stored.length);
      this.#host.appendChange(record.id, newer);
      return { status: 'extended', thread: this.#host.getThread(record.id)!, added: newer.length };
    }
    const copyId = `${record.id}~${digestOf(record.items)}`;
    const copy = this.#host.getThread(copyId);
    if (copy) return { status: 'unchanged', thread: copy, added: 0 };
    const thread = this.#create(record, copyId, existing.workspaceKey, `${record.title} (imported)`);
    return { status: 'copied', thread, added: record.items.length };
  }

  #create(record: ThreadRecord, id: string, workspaceKey: string, title: string): ThreadInfo {
    const name = title.trim() || DEFAULT_TITLE;
    const now = this.#host.now();
    const createdAt = validTime(record.createdAt) ?? now;
    const updatedAt = validTime(record.updatedAt) ?? createdAt;
    this.#items.ensureSession(id);
    this.#insertThread.run(id, workspaceKey, name, createdAt, updatedAt, record.pinned ? 1 : 0);
    this.#items.appendRows(id, record.items);
    if (record.versions) this.#importVersions(id, record.versions);
    return { id, workspaceKey, title: name, createdAt, updatedAt, pinned: record.pinned };
  }

  #importVersions(threadId: string, groups: readonly VersionGroupRecord[]): void {
    const ids = this.#rowIds.all(threadId).map(Number);
    for (const group of groups) {
      // A group whose turn is not in the items (a damaged file) is left out rather than misplaced.
      if (!Number.isInteger(group.after) || group.after < 0 || group.after >= ids.length) continue;
      const anchor = group.after === 0 ? 0 : ids[group.after - 1]!;
      for (const version of group.versions) {
        this.#versions.insertSlot(threadId, anchor, {
          index: version.index,
          rows: version.items === null ? null : JSON.stringify(version.items),
          nested: version.nested,
          redo: null,
          createdAt: validTime(version.createdAt) ?? this.#host.now(),
        });
      }
    }
  }
}

/** Every item must be one JSON object: anything else is refused before a row is written. (PgHistoryStore's import too.) */
export function checkItems(record: ThreadRecord): void {
  record.items.forEach((text, index) => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new Error(`Item ${index + 1} of thread "${record.title}" is not valid JSON.`);
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new Error(`Item ${index + 1} of thread "${record.title}" is not a JSON object.`);
    }
  });
}

export function startsWith(longer: readonly string[], prefix: readonly string[]): boolean {
  if (prefix.length > longer.length) return false;
  for (let i = 0; i < prefix.length; i++) if (longer[i] !== prefix[i]) return false;
  return true;
}

export function digestOf(items: readonly string[]): string {
  const hash = createHash('sha256');
  for (const item of items) hash.update(item).update('\n');
  return hash.digest('hex').slice(0, 12);
}

export function validTime(value: number): number | undefined {
  return Number.isFinite(value) && value > 0 ? Math.floor(value) : undefined;
}
