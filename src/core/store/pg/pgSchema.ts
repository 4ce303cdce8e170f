import type { Sql } from './pgDatabase.ts';

/** The schema version this code writes (`session_chat_schema.version`). */
export const PG_SCHEMA_VERSION = 2;

/**
 * The Agents SDK's two tables exactly as the Python SDK's `SQLAlchemySession(create_tables=True)`
 * creates them on PostgreSQL (openai/openai-agents-python,
 * src/agents/extensions/memory/sqlalchemy_session.py at commit
 * 01e48e6f4de67ce350e07d00157fe3efb655c056): `String` → VARCHAR, `Integer` primary key with
 * autoincrement → SERIAL, `TIMESTAMP(timezone=False)` with `server_default CURRENT_TIMESTAMP`,
 * `Text` for the JSON, the cascading foreign key, and its index `idx_agent_messages_session_time`.
 * `IF NOT EXISTS`, as SQLAlchemy's `create_all` checks first: a database the SDK made is used as it is.
 * The SDK reads a session ordered by `created_at, id`; the rows of each of our inserts get one
 * time, read once the thread is locked (pgRows.ts `appendRows`), so its order and ours (by id) agree
 * for our own writes.
 */
export const SDK_TABLES = `
CREATE TABLE IF NOT EXISTS agent_sessions (
  session_id VARCHAR NOT NULL,
  created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
  updated_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
  PRIMARY KEY (session_id)
);
CREATE TABLE IF NOT EXISTS agent_messages (
  id SERIAL NOT NULL,
  session_id VARCHAR NOT NULL,
  message_data TEXT NOT NULL,
  created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
  PRIMARY KEY (id),
  FOREIGN KEY (session_id) REFERENCES agent_sessions (session_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS idx_agent_messages_session_time ON agent_messages (session_id, created_at);
`;

/**
 * The test that a stored row starts a turn (a user message), spelled once for the partial index
 * and every query that should use it (the planner matches the predicate's expression). A CASE so
 * the JSON cast never sees text that is not a JSON object; `json`, not `jsonb`, because jsonb
 * refuses `\u0000` escapes, and an index expression that throws would make the SDK's own insert fail.
 */
export const PG_TURN_START =
  "(CASE WHEN strpos(message_data, '\"user\"') = 0 THEN false WHEN message_data IS JSON OBJECT THEN " +
  "(message_data::json ->> 'role') = 'user' AND coalesce(message_data::json ->> 'type', 'message') = 'message' ELSE false END)";

/**
 * Version 1: our catalogue beside the SDK's tables, all prefixed `session_chat_`.
 * - Threads do not hang off `agent_sessions` by a foreign key (as on SQLite): the SDK's
 *   `clear_session` deletes the session row itself, and must not take the thread with it.
 *   Our own deletes remove our rows explicitly; the rest cascades from the thread.
 * - Two indexes on the SDK's messages, maintained by PostgreSQL whoever writes:
 *   `session_chat_messages_thread` on (session_id, id), the order every read of ours takes (the
 *   SDK's own index is on (session_id, created_at)), and `session_chat_turn_starts`, a partial one
 *   holding the ids where turns start.
 * - Search: `session_chat_search` holds each message's searchable text folded by fold.ts (in
 *   JavaScript, so index, query and highlights fold alike), with a pg_trgm GIN index that answers
 *   `LIKE '%fragment%'`. Rows enter it after they are written, whoever wrote them: a trigger on
 *   `agent_messages` queues every new id in `session_chat_search_queue` (the migration queues the
 *   rows already there), and a search indexes what is queued first. (A watermark of the highest id, as on SQLite, would skip rows: concurrent
 *   transactions commit ids out of order.) Both cascade from `agent_messages`, so a delete by
 *   anyone leaves no stale entry.
 * - `session_chat_notify`: a statement trigger on every table a window shows, so any writer
 *   (the SDK included) wakes the `LISTEN`ing windows; the payload is the writer's backend pid,
 *   so a store can tell its own writes apart.
 */
const V1 = `
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE TABLE IF NOT EXISTS session_chat_threads (
  id VARCHAR PRIMARY KEY,
  workspace_key TEXT NOT NULL,
  title TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  pinned BOOLEAN NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS session_chat_threads_workspace ON session_chat_threads (workspace_key);
CREATE TABLE IF NOT EXISTS session_chat_current (
  workspace_key TEXT PRIMARY KEY,
  thread_id VARCHAR NOT NULL REFERENCES session_chat_threads (id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS session_chat_current_thread ON session_chat_current (thread_id);
CREATE TABLE IF NOT EXISTS session_chat_undo (
  id SERIAL PRIMARY KEY,
  thread_id VARCHAR NOT NULL REFERENCES session_chat_threads (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('turn', 'clear')),
  rows TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expected_last_row_id INTEGER,
  versions TEXT
);
CREATE INDEX IF NOT EXISTS session_chat_undo_thread ON session_chat_undo (thread_id, id);
CREATE TABLE IF NOT EXISTS session_chat_operations (
  operation_id TEXT PRIMARY KEY,
  thread_id VARCHAR NOT NULL REFERENCES session_chat_threads (id) ON DELETE CASCADE,
  digest TEXT NOT NULL,
  last_row_id INTEGER NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS session_chat_operations_thread ON session_chat_operations (thread_id);
CREATE TABLE IF NOT EXISTS session_chat_versions (
  id SERIAL PRIMARY KEY,
  thread_id VARCHAR NOT NULL REFERENCES session_chat_threads (id) ON DELETE CASCADE,
  anchor_row_id INTEGER NOT NULL,
  version_index INTEGER NOT NULL,
  rows TEXT,
  nested TEXT,
  redo TEXT,
  created_at BIGINT NOT NULL,
  UNIQUE (thread_id, anchor_row_id, version_index)
);
CREATE INDEX IF NOT EXISTS session_chat_messages_thread ON agent_messages (session_id, id);
CREATE INDEX IF NOT EXISTS session_chat_turn_starts ON agent_messages (session_id, id) WHERE ${PG_TURN_START};
CREATE TABLE IF NOT EXISTS session_chat_search (
  message_id INTEGER PRIMARY KEY REFERENCES agent_messages (id) ON DELETE CASCADE,
  body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS session_chat_search_body ON session_chat_search USING gin (body gin_trgm_ops);
CREATE TABLE IF NOT EXISTS session_chat_search_queue (
  message_id INTEGER PRIMARY KEY REFERENCES agent_messages (id) ON DELETE CASCADE
);
CREATE OR REPLACE FUNCTION session_chat_queue_for_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO session_chat_search_queue (message_id) SELECT id FROM new_rows;
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER session_chat_search_queue AFTER INSERT ON agent_messages
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION session_chat_queue_for_search();
INSERT INTO session_chat_search_queue (message_id) SELECT id FROM agent_messages ON CONFLICT (message_id) DO NOTHING;
CREATE OR REPLACE FUNCTION session_chat_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('session_chat_changed', pg_backend_pid()::text);
  RETURN NULL;
END $$;
CREATE OR REPLACE TRIGGER session_chat_notify_messages AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON agent_messages
  FOR EACH STATEMENT EXECUTE FUNCTION session_chat_notify();
CREATE OR REPLACE TRIGGER session_chat_notify_threads AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON session_chat_threads
  FOR EACH STATEMENT EXECUTE FUNCTION session_chat_notify();
CREATE OR REPLACE TRIGGER session_chat_notify_undo AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON session_chat_undo
  FOR EACH STATEMENT EXECUTE FUNCTION session_chat_notify();
CREATE OR REPLACE TRIGGER session_chat_notify_versions AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON session_chat_versions
  FOR EACH STATEMENT EXECUTE FUNCTION session_chat_notify();
`;

/**
 * Version 2: answer records (who answered a turn and what it cost), as on SQLite (schema 5 there;
 * src/core/store/answerRecords.ts): the answer's last row by id and by a digest of its text, `live`
 * false while the row is away (undone, cleared, in a hidden version; only those are looked up by
 * digest, so that index holds them alone), and each thread's sum over
 * its live records in `session_chat_answer_totals` (`estimated` counts estimated answers), kept up
 * to date by every change that moves rows. Both cascade from the thread; no trigger: they change
 * only in the transactions that change the messages they name.
 */
const V2 = `
CREATE TABLE IF NOT EXISTS session_chat_answers (
  id SERIAL PRIMARY KEY,
  session_id VARCHAR NOT NULL REFERENCES session_chat_threads (id) ON DELETE CASCADE,
  row_id INTEGER NOT NULL,
  digest TEXT NOT NULL,
  live BOOLEAN NOT NULL DEFAULT true,
  agent TEXT,
  model TEXT,
  source TEXT,
  input_tokens INTEGER,
  output_tokens INTEGER,
  cached_tokens INTEGER,
  estimated BOOLEAN,
  requests INTEGER,
  created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS session_chat_answers_row ON session_chat_answers (session_id, row_id);
CREATE INDEX IF NOT EXISTS session_chat_answers_waiting ON session_chat_answers (session_id, digest) WHERE NOT live;
CREATE TABLE IF NOT EXISTS session_chat_answer_totals (
  session_id VARCHAR PRIMARY KEY REFERENCES session_chat_threads (id) ON DELETE CASCADE,
  answers BIGINT NOT NULL,
  input_tokens BIGINT NOT NULL,
  output_tokens BIGINT NOT NULL,
  cached_tokens BIGINT NOT NULL,
  estimated BIGINT NOT NULL,
  requests BIGINT NOT NULL
);
`;

/** Migrations by the version they produce; index 0 is the step from 0 to 1. */
const MIGRATIONS: readonly string[] = [SDK_TABLES + V1, V2];

/** A key of our own for the migration's advisory lock (two windows connecting at once migrate once). */
const MIGRATION_LOCK = 0x5c_4a_70_67;

/** What {@link migratePg} found and did. */
export interface PgMigrationResult {
  from: number;
  to: number;
}

/**
 * Brings the database to {@link PG_SCHEMA_VERSION} in one transaction under an advisory lock,
 * re-reading the version inside it. The version lives in `session_chat_schema` (one row); a
 * database from a newer version of the extension is left as it is (its tables are a superset).
 * `sql` runs on one connection inside BEGIN/COMMIT (the caller's transaction).
 */
export async function migratePg(sql: Sql): Promise<PgMigrationResult> {
  await sql('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
  await sql('CREATE TABLE IF NOT EXISTS session_chat_schema (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)');
  const found = await sql('SELECT version FROM session_chat_schema WHERE id = 1');
  const from = Number(found.rows[0]?.version ?? 0);
  if (from >= PG_SCHEMA_VERSION) return { from, to: from };
  // The migrations are constants of this module: no user data in them, so no parameters.
  for (let version = from; version < PG_SCHEMA_VERSION; version++) await sql(MIGRATIONS[version]!);
  await sql(
    'INSERT INTO session_chat_schema (id, version) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET version = excluded.version',
    [PG_SCHEMA_VERSION],
  );
  return { from, to: PG_SCHEMA_VERSION };
}
