import type { Database } from './sqliteDriver.ts';

/**
 * The Agents SDK's own two tables and index, exactly as its Python `SQLiteSession` creates them,
 * so a database written here opens there and the other way round. `IF NOT EXISTS` makes it safe
 * to run on every open, from any number of connections.
 */
export const SDK_SCHEMA = `
CREATE TABLE IF NOT EXISTS agent_sessions (
  session_id TEXT PRIMARY KEY,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP
);
CREATE TABLE IF NOT EXISTS agent_messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL,
  message_data TEXT NOT NULL,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (session_id) REFERENCES agent_sessions (session_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS idx_agent_messages_session_id ON agent_messages (session_id, id);
`;

/** Creates the SDK tables when missing, in one transaction. */
export function ensureSdkSchema(db: Database): void {
  db.transaction(() => db.exec(SDK_SCHEMA));
}
