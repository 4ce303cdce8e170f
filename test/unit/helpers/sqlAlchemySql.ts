import pg from 'pg';
import type { Item } from '../../../src/core/session/session.ts';

/**
 * Another program on the same database: the statements the Python Agents SDK's `SQLAlchemySession`
 * sends on PostgreSQL (openai/openai-agents-python, src/agents/extensions/memory/sqlalchemy_session.py
 * at commit 01e48e6f4de67ce350e07d00157fe3efb655c056), on a connection of its own:
 * - `add_items`: in one transaction, look up the session row, insert it in a savepoint when
 *   missing, insert the messages (JSON as `json.dumps(item, ensure_ascii=True, separators=(",", ":"))`),
 *   then touch `updated_at`;
 * - `clear_session`: delete the messages, then the session row itself;
 * - `get_items`: ordered by `created_at, id`.
 */

/** Python's `json.dumps(…, ensure_ascii=True, separators=(",", ":"))`: compact, non-ASCII escaped. */
export function pythonJson(item: Item): string {
  return JSON.stringify(item).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export async function sdkAddItems(client: pg.Client, sessionId: string, items: readonly Item[]): Promise<void> {
  if (items.length === 0) return;
  await client.query('BEGIN');
  try {
    const existing = await client.query('SELECT agent_sessions.session_id FROM agent_sessions WHERE agent_sessions.session_id = $1', [sessionId]);
    if (existing.rows.length === 0) {
      await client.query('SAVEPOINT sa_savepoint_1');
      try {
        await client.query('INSERT INTO agent_sessions (session_id) VALUES ($1)', [sessionId]);
        await client.query('RELEASE SAVEPOINT sa_savepoint_1');
      } catch (err) {
        // Another writer created the parent row first (IntegrityError), as the SDK tolerates.
        if ((err as { code?: string }).code !== '23505') throw err;
        await client.query('ROLLBACK TO SAVEPOINT sa_savepoint_1');
      }
    }
    const values = items.map((_, i) => `($1, $${i + 2})`).join(', ');
    await client.query(`INSERT INTO agent_messages (session_id, message_data) VALUES ${values}`, [sessionId, ...items.map(pythonJson)]);
    await client.query('UPDATE agent_sessions SET updated_at=CURRENT_TIMESTAMP WHERE agent_sessions.session_id = $1', [sessionId]);
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

export async function sdkClearSession(client: pg.Client, sessionId: string): Promise<void> {
  await client.query('BEGIN');
  await client.query('DELETE FROM agent_messages WHERE agent_messages.session_id = $1', [sessionId]);
  await client.query('DELETE FROM agent_sessions WHERE agent_sessions.session_id = $1', [sessionId]);
  await client.query('COMMIT');
}

export async function sdkGetItems(client: pg.Client, sessionId: string): Promise<Item[]> {
  const found = await client.query(
    'SELECT agent_messages.message_data FROM agent_messages WHERE agent_messages.session_id = $1 ORDER BY agent_messages.created_at ASC, agent_messages.id ASC',
    [sessionId],
  );
  return found.rows.map((row) => JSON.parse(row.message_data as string) as Item);
}

/** Runs `work` on a fresh connection to `url`, closed afterwards. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
