// The extension's sessions.db as the test process sees it: found under code-server's user data and
// opened with its own connection beside the extension hosts' (WAL lets them share the file), to seed
// large threads directly and to check what a command stored.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../../src/core/session/sqliteDriver.ts';
import type { Database } from '../../../src/core/session/sqliteDriver.ts';
import type { CodeServer } from './harness.ts';

/** `publisher.name` from package.json: the extension's globalStorage folder is named after it. */
const EXTENSION_ID = 'session-chat.session-chat';

/** Where a folder tree holds a `sessions.db`, depth first; undefined when none. */
function findFile(dir: string, name: string, depth = 6): string | undefined {
  if (depth < 0 || !existsSync(dir)) return undefined;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && entry.name === name) return full;
    if (entry.isDirectory()) {
      const found = findFile(full, name, depth - 1);
      if (found) return found;
    }
  }
  return undefined;
}

/**
 * The extension's database: `<user-data-dir>/User/globalStorage/<publisher.name>/sessions.db`
 * (VS Code's `context.globalStorageUri`), else any `sessions.db` under the user data, so a change of
 * layout fails with a clear message rather than a seed into a file nobody reads.
 */
export function sessionsDbPath(codeServer: CodeServer): string {
  const expected = path.join(codeServer.userDataDir, 'User', 'globalStorage', EXTENSION_ID, 'sessions.db');
  if (existsSync(expected)) return expected;
  const found = findFile(codeServer.userDataDir, 'sessions.db');
  if (!found) throw new Error(`no sessions.db under ${codeServer.userDataDir} (expected ${expected}): has the extension opened its store yet?`);
  return found;
}

/** A second connection to the extension's database (better-sqlite3, the store's pragmas: WAL, busy_timeout). */
export function openSessionsDb(codeServer: CodeServer): Database {
  return openDatabase(sessionsDbPath(codeServer), { driver: 'better-sqlite3' }).db;
}

/** Every thread id in the database. */
export function threadIds(db: Database): Set<string> {
  return new Set(db.prepare('SELECT id FROM session_chat_threads').all().map((row) => String(row.id)));
}

/** Rows (items) the thread holds. */
export function rowCount(db: Database, threadId: string): number {
  return Number(db.prepare('SELECT count(*) AS n FROM agent_messages WHERE session_id = ?').get(threadId)?.n ?? 0);
}

/** The user message of seeded turn `n` (1-based), as the panel shows it. */
export const seededQuestion = (label: string, n: number): string => `${label} question ${n}`;

/**
 * Appends `turns` turns (a user message and a completed assistant answer each, as the extension
 * stores them) to the thread, in ONE transaction: the extension hosts see one commit. Returns the
 * time the commit took.
 */
export function seedTurns(db: Database, threadId: string, turns: number, label: string): number {
  const started = Date.now();
  const insert = db.prepare('INSERT INTO agent_messages (session_id, message_data) VALUES (?, ?)');
  db.transaction(() => {
    for (let n = 1; n <= turns; n++) {
      insert.run(threadId, JSON.stringify({ type: 'message', role: 'user', content: seededQuestion(label, n) }));
      insert.run(threadId, JSON.stringify({
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: `${label} answer ${n}` }],
      }));
    }
    db.prepare('UPDATE agent_sessions SET updated_at = CURRENT_TIMESTAMP WHERE session_id = ?').run(threadId);
  });
  return Date.now() - started;
}

/** True when some stored item's JSON contains `text` (a small table only: this scans it). */
export function hasRowContaining(db: Database, text: string): boolean {
  return db.prepare('SELECT 1 AS found FROM agent_messages WHERE instr(message_data, ?) > 0 LIMIT 1').get(text) !== undefined;
}

/**
 * Like {@link seedTurns}, with chosen user messages: `questions[n]` replaces the question of turn `n`
 * (1-based); every other turn is `seededQuestion(label, n)` and every answer `<label> answer <n>`.
 */
export function seedTurnsWithQuestions(db: Database, threadId: string, turns: number, label: string, questions: Record<number, string>): void {
  const insert = db.prepare('INSERT INTO agent_messages (session_id, message_data) VALUES (?, ?)');
  db.transaction(() => {
    for (let n = 1; n <= turns; n++) {
      insert.run(threadId, JSON.stringify({ type: 'message', role: 'user', content: questions[n] ?? seededQuestion(label, n) }));
      insert.run(threadId, JSON.stringify({
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: `${label} answer ${n}` }],
      }));
    }
    db.prepare('UPDATE agent_sessions SET updated_at = CURRENT_TIMESTAMP WHERE session_id = ?').run(threadId);
  });
}

/** Stored rows whose JSON contains `text`, oldest first: their row ids and threads (a small table only: this scans it). */
export function rowsContaining(db: Database, text: string): { id: number; threadId: string }[] {
  return db
    .prepare('SELECT id, session_id FROM agent_messages WHERE instr(message_data, ?) > 0 ORDER BY id')
    .all(text)
    .map((row) => ({ id: Number(row.id), threadId: String(row.session_id) }));
}

/** A thread's title as the extension stored it. */
export function threadTitle(db: Database, threadId: string): string {
  return String(db.prepare('SELECT title FROM session_chat_threads WHERE id = ?').get(threadId)?.title ?? '');
}
