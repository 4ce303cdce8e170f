import type { Database, Statement } from '../session/sqliteDriver.ts';

/**
 * Tokens that put each indexed row's thread and workspace into the index itself, so a search can
 * ask FTS5 for "this term, in these threads, newest first" and stop at the limit, instead of
 * looking up the thread of every candidate. A token is one trigram of private-use characters: a
 * marker, then a number in two digits of base {@link BASE} (numbers are given out per thread and
 * per workspace in `session_chat_search_keys`, never reused). Pins are not in the index: they
 * change, while a row's thread and its thread's workspace do not; a search turns the pinned
 * threads into an OR of their tokens.
 */
const DIGIT_0 = 0xe000;
const BASE = 0x1800;
const THREAD_MARK = '\uf8f0';
const WORKSPACE_MARK = '\uf8f1';
/** In every row: the one token a query over all rows can start from. */
export const EVERY_ROW = '\uf8f2\uf8f2\uf8f2';

export type KeyKind = 'thread' | 'workspace';

function token(kind: KeyKind, n: number): string {
  const mark = kind === 'thread' ? THREAD_MARK : WORKSPACE_MARK;
  return `${mark}${String.fromCharCode(DIGIT_0 + Math.floor(n / BASE) % BASE)}${String.fromCharCode(DIGIT_0 + (n % BASE))}`;
}

/** The numbers behind the tokens, read and given out through `session_chat_search_keys`. */
export class SearchKeys {
  readonly #get: Statement;
  readonly #insert: Statement;
  readonly #workspaceOf: Statement;

  constructor(db: Database) {
    this.#get = db.prepare('SELECT n FROM session_chat_search_keys WHERE kind = ? AND key = ?');
    this.#insert = db.prepare('INSERT INTO session_chat_search_keys (kind, key) VALUES (?, ?)');
    this.#workspaceOf = db.prepare('SELECT workspace_key FROM session_chat_threads WHERE id = ?');
  }

  /** The token of a thread or workspace, undefined when no row of it was ever indexed. */
  find(kind: KeyKind, key: string): string | undefined {
    const row = this.#get.get(kind, key);
    return row ? token(kind, Number(row.n)) : undefined;
  }

  /** The token of a thread or workspace, numbering it first if needed (inside a write transaction). */
  ensure(kind: KeyKind, key: string): string {
    return this.find(kind, key) ?? token(kind, Number(this.#insert.run(kind, key).lastInsertRowid));
  }

  /**
   * What an indexed row of `threadId` carries besides its text: every-row, thread and workspace
   * tokens. A session the catalogue does not know yet belongs to no workspace (''), as
   * adoption will file it.
   */
  rowTokens(threadId: string, cache: Map<string, string>): string {
    let tokens = cache.get(threadId);
    if (tokens === undefined) {
      const workspace = (this.#workspaceOf.get(threadId)?.workspace_key as string | undefined) ?? '';
      tokens = `${EVERY_ROW}${this.ensure('thread', threadId)}${this.ensure('workspace', workspace)}`;
      cache.set(threadId, tokens);
    }
    return tokens;
  }
}
