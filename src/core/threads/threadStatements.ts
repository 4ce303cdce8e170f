import type { Database, Statement } from '../session/sqliteDriver.ts';

const COLUMNS = 'id, workspace_key, title, created_at, updated_at';
const READ_COLUMNS = `${COLUMNS}, pinned`;
/** Pinned first, then newest activity; rowid breaks ties between threads touched in the same millisecond. */
const ORDER = 'ORDER BY pinned DESC, updated_at DESC, rowid DESC';

/** The thread catalogue's prepared statements, kept apart so the store reads as behaviour. */
export class ThreadStatements {
  readonly insert: Statement;
  readonly get: Statement;
  readonly listAll: Statement;
  readonly listWorkspace: Statement;
  readonly rename: Statement;
  readonly setPinned: Statement;
  readonly touch: Statement;
  readonly deleteSession: Statement;
  readonly getCurrent: Statement;
  readonly setCurrent: Statement;
  readonly newestMessages: Statement;
  readonly newestMessageOfEach: Statement;
  readonly getOperation: Statement;
  readonly insertOperation: Statement;
  /** Our rows of a thread, children first; run before its `agent_sessions` row goes. */
  readonly deleteThreadRows: readonly Statement[];

  constructor(db: Database) {
    this.insert = db.prepare(`INSERT INTO session_chat_threads (${COLUMNS}) VALUES (?, ?, ?, ?, ?)`);
    this.get = db.prepare(`SELECT ${READ_COLUMNS} FROM session_chat_threads WHERE id = ?`);
    this.listAll = db.prepare(`SELECT ${READ_COLUMNS} FROM session_chat_threads ${ORDER}`);
    this.listWorkspace = db.prepare(`SELECT ${READ_COLUMNS} FROM session_chat_threads WHERE workspace_key = ? ${ORDER}`);
    this.rename = db.prepare('UPDATE session_chat_threads SET title = ? WHERE id = ?');
    this.setPinned = db.prepare('UPDATE session_chat_threads SET pinned = ? WHERE id = ?');
    this.touch = db.prepare('UPDATE session_chat_threads SET updated_at = ? WHERE id = ?');
    this.deleteSession = db.prepare('DELETE FROM agent_sessions WHERE session_id = ?');
    this.getCurrent = db.prepare('SELECT thread_id FROM session_chat_current WHERE workspace_key = ?');
    this.setCurrent = db.prepare(
      'INSERT INTO session_chat_current (workspace_key, thread_id) VALUES (?, ?) ' +
        'ON CONFLICT (workspace_key) DO UPDATE SET thread_id = excluded.thread_id',
    );
    this.getOperation = db.prepare('SELECT digest FROM session_chat_operations WHERE operation_id = ?');
    this.insertOperation = db.prepare(
      'INSERT INTO session_chat_operations (operation_id, thread_id, digest, last_row_id, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.deleteThreadRows = [
      db.prepare('DELETE FROM session_chat_answer_totals WHERE session_id = ?'),
      db.prepare('DELETE FROM session_chat_answers WHERE session_id = ?'),
      db.prepare('DELETE FROM session_chat_undo WHERE thread_id = ?'),
      db.prepare('DELETE FROM session_chat_versions WHERE thread_id = ?'),
      db.prepare('DELETE FROM session_chat_operations WHERE thread_id = ?'),
      db.prepare('DELETE FROM session_chat_current WHERE thread_id = ?'),
      db.prepare('DELETE FROM session_chat_threads WHERE id = ?'),
    ];
    // Many threads at once: ids come as one JSON array, so the statement is prepared once.
    this.newestMessageOfEach = db.prepare(
      'SELECT value AS id, (SELECT message_data FROM agent_messages WHERE session_id = value AND CASE WHEN json_valid(message_data) ' +
        "THEN json_extract(message_data, '$.role') IN ('user', 'assistant') ELSE 0 END ORDER BY id DESC LIMIT 1) AS data FROM json_each(?)",
    );
    // A few candidates: the newest message may carry no text (a refusal, an image).
    this.newestMessages = db.prepare(
      'SELECT message_data AS data FROM agent_messages WHERE session_id = ? AND CASE WHEN json_valid(message_data) ' +
        "THEN json_extract(message_data, '$.role') IN ('user', 'assistant') ELSE 0 END ORDER BY id DESC LIMIT 8",
    );
  }
}
