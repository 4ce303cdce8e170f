import { parseItem } from '../session/session.ts';
import type { Database, Statement } from '../session/sqliteDriver.ts';
import { messageText, oneLine } from './itemText.ts';

/**
 * The workspace key given to sessions this extension did not create (a file written by the SDK
 * or a script): '' means "no workspace", so they show up only in the all-workspaces list.
 */
export const NO_WORKSPACE = '';

/** The title a thread gets when none is given and none can be derived. */
export const DEFAULT_TITLE = 'New thread';

const TITLE_LENGTH = 60;

/** SQLite's `CURRENT_TIMESTAMP` text (UTC, 'YYYY-MM-DD HH:MM:SS') to epoch ms. */
function sqliteTimeToMs(value: unknown, fallback: number): number {
  if (typeof value !== 'string') return fallback;
  const ms = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? fallback : ms;
}

/**
 * Gives every session without a thread row one, leaving the SDK's rows untouched: title from its
 * first user message, times from `agent_sessions`. Runs on open and before listing, so sessions a
 * script adds to the shared file later appear too.
 */
export class Adopter {
  readonly #db: Database;
  readonly #orphans: Statement;
  readonly #firstUser: Statement;
  readonly #insert: Statement;

  constructor(db: Database) {
    this.#db = db;
    this.#orphans = db.prepare(
      'SELECT s.session_id AS id, s.created_at AS created, s.updated_at AS updated FROM agent_sessions s ' +
        'LEFT JOIN session_chat_threads t ON t.id = s.session_id WHERE t.id IS NULL',
    );
    this.#firstUser = db.prepare(
      'SELECT message_data AS data FROM agent_messages WHERE session_id = ? AND ' +
        "CASE WHEN json_valid(message_data) THEN json_extract(message_data, '$.role') END = 'user' ORDER BY id LIMIT 1",
    );
    this.#insert = db.prepare(
      'INSERT OR IGNORE INTO session_chat_threads (id, workspace_key, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    );
  }

  /** Adopts every orphan session; returns how many. Cheap when there are none (one read). */
  adoptAll(): number {
    if (this.#orphans.all().length === 0) return 0;
    return this.#db.transaction(() => {
      const orphans = this.#orphans.all();
      const now = Date.now();
      for (const orphan of orphans) {
        const id = orphan.id as string;
        const created = sqliteTimeToMs(orphan.created, now);
        this.#insert.run(id, NO_WORKSPACE, this.titleOf(id), created, sqliteTimeToMs(orphan.updated, created));
      }
      return orphans.length;
    });
  }

  /** A title from the session's first user message, or {@link DEFAULT_TITLE}. */
  titleOf(sessionId: string): string {
    const row = this.#firstUser.get(sessionId);
    const item = row ? parseItem(row.data as string) : undefined;
    const text = item ? oneLine(messageText(item), TITLE_LENGTH) : '';
    return text === '' ? DEFAULT_TITLE : text;
  }
}
