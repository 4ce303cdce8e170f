import { openDatabase, type Database } from '../session/sqliteDriver.ts';
import { asObject, contentText } from '../items/itemFields.ts';
import { titleFrom } from './foreignItems.ts';
import { NOT_RECOGNISED, skipped, type ImportEvent } from './importEvent.ts';
import type { ThreadRecord } from './threadRecord.ts';
import { VersionRecords } from './versionRecords.ts';

/**
 * Reads the sessions of an SQLite file with the OpenAI Agents SDK's tables, one thread per
 * session, each item the row's `message_data` byte for byte (no conversion: these are SDK items).
 * Followed: openai/openai-agents-python `src/agents/memory/sqlite_session.py` (tables
 * `agent_sessions`, `agent_messages`) and `src/agents/extensions/memory/advanced_sqlite_session.py`
 * at commit 0383b9d12ea7989cfa01e3d5981ddd06fd91e115: AdvancedSQLiteSession keeps branches in
 * `message_structure` (session_id, message_id, branch_id, sequence_number); every branch shares
 * the rows it copied, and `get_items()` of a branch is its structure rows joined to the messages
 * in `sequence_number` order. The current branch lives only in the Python object, so the `main`
 * branch is imported (the one a new AdvancedSQLiteSession starts on). A session without structure
 * rows (written by a plain SQLiteSession) is read in row order.
 * Another Session Chat `sessions.db` (it has `session_chat_threads`) keeps its thread ids, titles,
 * workspaces, times, pins and versions of turns; other SDK sessions get the id
 * `agents-sdk-<session_id>`. The file is opened read-only and never written.
 */
export function* readSqliteSource(path: string): Generator<ImportEvent | typeof NOT_RECOGNISED> {
  let db: Database;
  try {
    db = openDatabase(path, { readOnly: true, busyTimeoutMs: 2_000 }).db;
  } catch (err) {
    yield skipped(path, `The SQLite file cannot be opened: ${err instanceof Error ? err.message : String(err)}.`);
    return;
  }
  try {
    const tables = new Set(db.prepareColumn("SELECT name FROM sqlite_master WHERE type = 'table'").all().map(String));
    if (!tables.has('agent_sessions') || !tables.has('agent_messages')) {
      yield NOT_RECOGNISED;
      return;
    }
    const reader = new SessionReader(db, tables);
    for (const session of db.prepare('SELECT session_id, created_at, updated_at FROM agent_sessions ORDER BY rowid').all()) {
      const id = String(session.session_id);
      try {
        const record = reader.read(id, sdkTime(session.created_at), sdkTime(session.updated_at));
        if (record) yield { kind: 'thread', record, format: 'agents-sdk-sqlite', source: path };
      } catch (err) {
        yield skipped(`${path}#${id}`, `Session "${id}" cannot be read: ${err instanceof Error ? err.message : String(err)}.`);
      }
    }
  } catch (err) {
    yield skipped(path, `The SQLite file cannot be read: ${err instanceof Error ? err.message : String(err)}.`);
  } finally {
    db.close();
  }
}

/** Reads one session's items and, for a Session Chat file, its catalogue row and versions. */
class SessionReader {
  readonly #rows;
  readonly #mainBranch;
  readonly #hasBranches;
  readonly #thread;
  readonly #versions: VersionRecords | undefined;

  constructor(db: Database, tables: Set<string>) {
    this.#rows = db.prepare('SELECT id, message_data FROM agent_messages WHERE session_id = ? ORDER BY id');
    const advanced = tables.has('message_structure');
    this.#hasBranches = advanced ? db.prepare('SELECT 1 AS found FROM message_structure WHERE session_id = ? LIMIT 1') : undefined;
    this.#mainBranch = advanced
      ? db.prepareColumn("SELECT m.message_data FROM agent_messages m JOIN message_structure s ON m.id = s.message_id WHERE m.session_id = ? AND s.branch_id = 'main' ORDER BY s.sequence_number")
      : undefined;
    const ours = tables.has('session_chat_threads');
    const pinned = ours && db.prepare('PRAGMA table_info(session_chat_threads)').all().some((column) => column.name === 'pinned');
    this.#thread = ours ? db.prepare(`SELECT title, workspace_key, created_at, updated_at, ${pinned ? 'pinned' : '0 AS pinned'} FROM session_chat_threads WHERE id = ?`) : undefined;
    this.#versions = tables.has('session_chat_versions') ? new VersionRecords(db) : undefined;
  }

  read(sessionId: string, createdAt: number, updatedAt: number): ThreadRecord | undefined {
    const thread = this.#thread?.get(sessionId);
    const branched = this.#hasBranches?.get(sessionId) !== undefined;
    const items = branched ? this.#mainBranch!.all(sessionId).map(String) : this.#rows.all(sessionId).map((row) => String(row.message_data));
    if (items.length === 0) return undefined;
    if (thread) {
      const record: ThreadRecord = {
        id: sessionId,
        title: String(thread.title),
        workspaceKey: String(thread.workspace_key),
        createdAt: Number(thread.created_at),
        updatedAt: Number(thread.updated_at),
        pinned: Number(thread.pinned) === 1,
        items,
      };
      const versions = this.#versions?.read(sessionId) ?? [];
      if (versions.length > 0) record.versions = versions;
      return record;
    }
    return { id: `agents-sdk-${sessionId}`, title: firstQuestion(items) ?? sessionId, workspaceKey: '', createdAt, updatedAt, pinned: false, items };
  }
}

/** The first user message's text, shortened for a title. */
function firstQuestion(items: readonly string[]): string | undefined {
  for (const text of items) {
    let item: unknown;
    try {
      item = JSON.parse(text);
    } catch {
      continue;
    }
    const object = asObject(item);
    if (object?.role === 'user') {
      const title = titleFrom(contentText(object.content), '');
      if (title !== '') return title;
    }
  }
  return undefined;
}

/** SQLite's CURRENT_TIMESTAMP text ('YYYY-MM-DD HH:MM:SS', UTC) as epoch ms; now when unreadable. */
function sdkTime(value: unknown): number {
  if (typeof value === 'number') return value;
  const ms = typeof value === 'string' ? Date.parse(`${value.replace(' ', 'T')}Z`) : Number.NaN;
  return Number.isNaN(ms) ? Date.now() : ms;
}
