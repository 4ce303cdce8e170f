import { SDK_SCHEMA } from '../session/sdkSchema.ts';
import type { Database } from '../session/sqliteDriver.ts';

/** The schema version this code writes (`PRAGMA user_version`). */
export const SCHEMA_VERSION = 5;

/**
 * Our own tables beside the SDK's, all prefixed `session_chat_`. Every one hangs off
 * `agent_sessions` through cascading foreign keys, so deleting a session row removes its thread,
 * undo/redo stack and current-thread pointers with it. No index covers `updated_at`: every message
 * bumps it, and each index on it would add a page to every commit, while sorting a few thousand
 * threads for a list costs nothing noticeable.
 */
const V1 = `
CREATE TABLE IF NOT EXISTS session_chat_threads (
  id TEXT PRIMARY KEY REFERENCES agent_sessions (session_id) ON DELETE CASCADE,
  workspace_key TEXT NOT NULL,
  title TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS session_chat_threads_workspace ON session_chat_threads (workspace_key);
CREATE TABLE IF NOT EXISTS session_chat_current (
  workspace_key TEXT PRIMARY KEY,
  thread_id TEXT NOT NULL REFERENCES session_chat_threads (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS session_chat_current_thread ON session_chat_current (thread_id);
CREATE TABLE IF NOT EXISTS session_chat_undo (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  thread_id TEXT NOT NULL REFERENCES session_chat_threads (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('turn', 'clear')),
  rows TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS session_chat_undo_thread ON session_chat_undo (thread_id, id);
`;

/**
 * The test that a stored row starts a turn (a user message), written once so the partial index
 * below and every query that should use it spell it identically (SQLite matches the terms as
 * text). One CASE so json_extract never sees a corrupt row: it would throw, and SQLite may
 * evaluate AND-ed terms in any order.
 */
export const TURN_START =
  // instr first: a row without the text "user" cannot be a user message, and most rows (answers,
  // tool calls) are then judged without parsing their JSON on every insert and delete.
  "CASE WHEN instr(message_data, '\"user\"') = 0 THEN 0 WHEN json_valid(message_data) THEN " +
  "json_extract(message_data, '$.role') = 'user' AND coalesce(json_extract(message_data, '$.type'), 'message') = 'message' ELSE 0 END";

/** The turn index, spelled with {@link TURN_START} as the queries spell it. */
const TURN_INDEX = `CREATE INDEX IF NOT EXISTS session_chat_turn_starts ON agent_messages (session_id, id) WHERE ${TURN_START};`;

/**
 * Version 2: the turn index and expected-suffix bookkeeping.
 * - `session_chat_turn_starts` is a partial index on the SDK's messages holding the row ids
 *   where turns start. SQLite maintains it on every write, whoever writes (the Python SDK, a
 *   script, an older version of us), so it can never be stale and never needs rebuilding; pages,
 *   Undo and the title check read it instead of the whole thread.
 * - An undo entry remembers the row the thread ended at after it was made: Redo and the undo of
 *   a Clear apply only while the thread still ends there (a write meanwhile makes them refuse).
 * - `session_chat_operations` records applied history transactions by operation id, so a retried
 *   transaction is applied once.
 */
const V2 = `
${TURN_INDEX}
ALTER TABLE session_chat_undo ADD COLUMN expected_last_row_id INTEGER;
CREATE TABLE IF NOT EXISTS session_chat_operations (
  operation_id TEXT PRIMARY KEY,
  thread_id TEXT NOT NULL REFERENCES session_chat_threads (id) ON DELETE CASCADE,
  digest TEXT NOT NULL,
  last_row_id INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS session_chat_operations_thread ON session_chat_operations (thread_id);
`;

/**
 * The search index's tables (see src/core/search/searchIndex.ts for the design): an FTS5 trigram
 * table keyed by `agent_messages.id`, the numbers behind its thread and workspace tokens, and the
 * watermark (the highest row id indexed; rows already in the file are above it and get indexed
 * in the background).
 * Nothing touches the SDK's tables: no trigger, no index, so an SQLite without FTS5 still writes
 * them, and the index catches up from our side. Derived data: {@link migrate} makes them again,
 * empty, when a file of this version holds another layout of them (an unreleased build's).
 */
const SEARCH_TABLES = `
CREATE VIRTUAL TABLE IF NOT EXISTS session_chat_search USING fts5(
  body, tokenize = 'trigram case_sensitive 1', detail = none, content = '', contentless_delete = 1
);
CREATE TABLE IF NOT EXISTS session_chat_search_keys (
  n INTEGER PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('thread', 'workspace')),
  key TEXT NOT NULL,
  UNIQUE (kind, key)
);
CREATE TABLE IF NOT EXISTS session_chat_search_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  indexed_through INTEGER NOT NULL
);
INSERT OR IGNORE INTO session_chat_search_state (id, indexed_through) VALUES (1, 0);
`;
const DROP_SEARCH_TABLES = `
DROP TABLE IF EXISTS session_chat_search;
DROP TABLE IF EXISTS session_chat_search_rows;
DROP TABLE IF EXISTS session_chat_search_keys;
DROP TABLE IF EXISTS session_chat_search_state;
`;

/** Version 3: pins, and the search index. */
const V3 = `ALTER TABLE session_chat_threads ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;${SEARCH_TABLES}`;

/**
 * Version 4: versions of turns (edit, regenerate; see src/core/versions/versionTable.ts). A group
 * is keyed by its anchor, the thread's row before the turn; `rows` holds a hidden version's suffix
 * as a JSON array of raw row texts and is NULL for the version shown (its rows are the thread's).
 * `nested` keeps the groups inside a hidden suffix, their anchors as positions, and `redo` the
 * version's Redo entries while it is hidden (they come back with it). Undo entries keep
 * the groups inside the rows they removed the same way (`versions`), so Redo puts them back.
 */
const V4 = `
CREATE TABLE IF NOT EXISTS session_chat_versions (
  id INTEGER PRIMARY KEY,
  thread_id TEXT NOT NULL REFERENCES session_chat_threads (id) ON DELETE CASCADE,
  anchor_row_id INTEGER NOT NULL,
  version_index INTEGER NOT NULL,
  rows TEXT,
  nested TEXT,
  redo TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (thread_id, anchor_row_id, version_index)
);
ALTER TABLE session_chat_undo ADD COLUMN versions TEXT;
`;

/**
 * Version 5: answer records (who answered a turn and what it cost; src/core/store/answerRecords.ts).
 * A record names the answer's last row by id and by a digest of its text: the id finds it while the
 * row is in the thread, the digest finds the row again when it comes back under a new id. `live` is
 * 0 while the row is away (undone, cleared, in a hidden version); only those are looked up by digest,
 * so that index holds them alone. `session_id` is the thread's id;
 * the usage columns are NULL when the answer had no usage to record. `session_chat_answer_totals`
 * keeps each thread's sum over its live records, kept up to date by every change that moves rows,
 * so the panel reads it in one row however long the thread (`estimated` counts estimated answers).
 */
const V5 = `
CREATE TABLE IF NOT EXISTS session_chat_answers (
  id INTEGER PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES session_chat_threads (id) ON DELETE CASCADE,
  row_id INTEGER NOT NULL,
  digest TEXT NOT NULL,
  live INTEGER NOT NULL DEFAULT 1,
  agent TEXT,
  model TEXT,
  source TEXT,
  input_tokens INTEGER,
  output_tokens INTEGER,
  cached_tokens INTEGER,
  estimated INTEGER,
  requests INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS session_chat_answers_row ON session_chat_answers (session_id, row_id);
CREATE INDEX IF NOT EXISTS session_chat_answers_waiting ON session_chat_answers (session_id, digest) WHERE live = 0;
CREATE TABLE IF NOT EXISTS session_chat_answer_totals (
  session_id TEXT PRIMARY KEY REFERENCES session_chat_threads (id) ON DELETE CASCADE,
  answers INTEGER NOT NULL,
  input_tokens INTEGER NOT NULL,
  output_tokens INTEGER NOT NULL,
  cached_tokens INTEGER NOT NULL,
  estimated INTEGER NOT NULL,
  requests INTEGER NOT NULL
);
`;

/** Migrations by the version they produce; index 0 is the step from 0 to 1. */
const MIGRATIONS: readonly string[] = [SDK_SCHEMA + V1, V2, V3, V4, V5];

/** True when the search tables are the ones {@link SEARCH_TABLES} makes. */
function searchTablesCurrent(db: Database): boolean {
  const fts = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'session_chat_search'").get()?.sql;
  const keys = db.prepare("SELECT 1 AS found FROM sqlite_master WHERE name = 'session_chat_search_keys'").get();
  return typeof fts === 'string' && fts.includes('contentless_delete = 1') && keys !== undefined;
}

/**
 * True when the turn index's condition is {@link TURN_START} as this version spells it: SQLite
 * uses a partial index only for queries that repeat its condition word for word, so an index
 * made with an older spelling would leave every page and Undo scanning the whole thread.
 */
function turnIndexCurrent(db: Database): boolean {
  const sql = db.prepare("SELECT sql FROM sqlite_master WHERE name = 'session_chat_turn_starts'").get()?.sql;
  return typeof sql === 'string' && sql.endsWith(TURN_START);
}

/** What {@link migrate} found and did. */
export interface MigrationResult {
  from: number;
  to: number;
}

/**
 * Brings the file to {@link SCHEMA_VERSION} in one `BEGIN IMMEDIATE` transaction, re-reading the
 * version inside it so two windows opening a new file at once migrate it once. A file from a
 * newer version of the extension is left as it is: its tables are a superset of ours. A file of
 * this version whose search tables have another layout gets them again, empty (they are rebuilt
 * from the messages), and a turn index made with another spelling of {@link TURN_START} is made
 * again (one pass over the messages).
 */
export function migrate(db: Database): MigrationResult {
  return db.transaction(() => {
    const from = Number(db.prepare('PRAGMA user_version').get()?.user_version ?? 0);
    if (from === SCHEMA_VERSION && !searchTablesCurrent(db)) db.exec(DROP_SEARCH_TABLES + SEARCH_TABLES);
    if (from <= SCHEMA_VERSION && from >= 2 && !turnIndexCurrent(db)) db.exec(`DROP INDEX IF EXISTS session_chat_turn_starts; ${TURN_INDEX}`);
    if (from >= SCHEMA_VERSION) return { from, to: from };
    for (let version = from; version < SCHEMA_VERSION; version++) db.exec(MIGRATIONS[version]!);
    // PRAGMA takes no placeholders; the value is a constant of this module, never user data.
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    return { from, to: SCHEMA_VERSION };
  });
}
