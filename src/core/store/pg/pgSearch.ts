import { parseItem } from '../../session/session.ts';
import { foldText } from '../../search/fold.ts';
import { searchable } from '../../search/searchableText.ts';
import { splitTerms } from '../../search/searchQuery.ts';
import { snippetOf } from '../../search/snippet.ts';
import type { SearchHit, SearchIndexStatus, SearchOptions } from '../historyStore.ts';
import type { Sql } from './pgDatabase.ts';
import { PG_TURN_START } from './pgSchema.ts';

/** Hits a search returns unless asked otherwise (as on SQLite). */
const DEFAULT_LIMIT = 50;
/** Rows a search indexes itself before answering; more are left to `indexPending` in the background. */
export const PG_CATCH_UP_AT_SEARCH = 2000;

/**
 * Search over `session_chat_search` (see pgSchema.ts): each indexed row holds its message's
 * searchable text (searchableText.ts) folded by fold.ts, the same folding the query's terms get,
 * so a term matches exactly when it is a substring of the folded text: words, prefixes, fragments
 * inside identifiers and paths, "quoted phrases" (one term), case and accents ignored, as on
 * SQLite. Each term is one `LIKE '%term%'` (the term escaped, so `%`, `_` and `\` are text) that
 * the pg_trgm GIN index answers for terms of three characters or more.
 */

/** A term as a LIKE pattern matching it anywhere, with LIKE's wildcards and escape taken literally. */
function containing(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** `s.body LIKE $k AND …` for the terms, numbering parameters from `first`. */
function likes(terms: readonly string[], first: number): string {
  return terms.map((_, i) => `s.body LIKE $${first + i}`).join(' AND ');
}

/** Indexes up to `maxRows` queued rows in one transaction; returns how many it took from the queue. */
export async function catchUp(sql: Sql, maxRows: number): Promise<number> {
  const limit = Math.max(0, Math.floor(maxRows));
  if (limit === 0) return 0;
  // SKIP LOCKED: two windows catching up at once take different rows instead of waiting.
  const queued = await sql(
    'SELECT q.message_id AS id, m.message_data AS data FROM session_chat_search_queue q JOIN agent_messages m ON m.id = q.message_id ' +
      'ORDER BY q.message_id LIMIT $1 FOR UPDATE OF q SKIP LOCKED',
    [limit],
  );
  if (queued.rows.length === 0) return 0;
  const ids: number[] = [];
  const bodies: string[] = [];
  for (const row of queued.rows) {
    const item = parseItem(row.data as string);
    const text = item ? searchable(item)?.text : undefined;
    if (!text) continue;
    ids.push(Number(row.id));
    bodies.push(foldText(text));
  }
  if (ids.length > 0) {
    await sql(
      'INSERT INTO session_chat_search (message_id, body) SELECT * FROM unnest($1::int[], $2::text[]) ON CONFLICT (message_id) DO UPDATE SET body = excluded.body',
      [ids, bodies],
    );
  }
  await sql('DELETE FROM session_chat_search_queue WHERE message_id = ANY ($1::int[])', [queued.rows.map((row) => Number(row.id))]);
  return queued.rows.length;
}

export async function pendingRows(sql: Sql): Promise<number> {
  return Number((await sql('SELECT count(*) AS n FROM session_chat_search_queue')).rows[0]?.n ?? 0);
}

export async function indexStatus(sql: Sql): Promise<SearchIndexStatus> {
  const found = await sql('SELECT (SELECT count(*) FROM session_chat_search_queue) AS pending, (SELECT count(*) FROM session_chat_search) AS indexed');
  return { pending: Number(found.rows[0]?.pending ?? 0), indexed: Number(found.rows[0]?.indexed ?? 0) };
}

/**
 * See `HistoryStore.search`: pinned threads first, then `workspaceKey`'s, then newest first; one
 * statement. The turn of a hit is the newest user message up to it (the turn index answers), else
 * the thread's first readable row; the time is the row's `created_at` (a timestamp without time
 * zone, written in the server's time zone by the SDK and by us alike).
 */
export async function search(sql: Sql, query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
  const terms = splitTerms(query);
  const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_LIMIT));
  if (terms.length === 0 || limit === 0) return [];
  const found = await sql(
    'SELECT m.id, m.session_id, m.message_data AS data, t.title, t.workspace_key, t.pinned, t.updated_at, ' +
      "extract(epoch FROM (m.created_at AT TIME ZONE current_setting('TimeZone'))) * 1000 AS at_ms, " +
      `coalesce((SELECT u.id FROM agent_messages u WHERE u.session_id = m.session_id AND u.id <= m.id AND ${PG_TURN_START} ORDER BY u.id DESC LIMIT 1), ` +
      '(SELECT f.id FROM agent_messages f WHERE f.session_id = m.session_id AND f.message_data IS JSON OBJECT ORDER BY f.id LIMIT 1)) AS turn_id ' +
      'FROM session_chat_search s JOIN agent_messages m ON m.id = s.message_id JOIN session_chat_threads t ON t.id = m.session_id ' +
      `WHERE ${likes(terms, 3)} ORDER BY t.pinned DESC, coalesce(t.workspace_key = $1, false) DESC, m.id DESC LIMIT $2`,
    [options.workspaceKey ?? null, limit, ...terms.map(containing)],
  );
  const hits: SearchHit[] = [];
  for (const row of found.rows) {
    const item = parseItem(row.data as string);
    const text = item ? searchable(item) : undefined;
    if (!text) continue;
    const at = Number(row.at_ms);
    hits.push({
      threadId: row.session_id as string,
      threadTitle: row.title as string,
      workspaceKey: row.workspace_key as string,
      pinned: row.pinned === true,
      rowId: Number(row.id),
      turnId: Number(row.turn_id ?? row.id),
      role: text.role,
      ...snippetOf(text.text, terms),
      at: Number.isFinite(at) ? Math.round(at) : Number(row.updated_at),
    });
  }
  return hits;
}

/** The row ids of one thread's items matching `query`, oldest first. */
export async function findInThread(sql: Sql, threadId: string, query: string): Promise<number[]> {
  const terms = splitTerms(query);
  if (terms.length === 0) return [];
  const found = await sql(
    `SELECT m.id FROM session_chat_search s JOIN agent_messages m ON m.id = s.message_id WHERE m.session_id = $1 AND ${likes(terms, 2)} ORDER BY m.id`,
    [threadId, ...terms.map(containing)],
  );
  return found.rows.map((row) => Number(row.id));
}
