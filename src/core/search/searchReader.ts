import type { Database, Row, Statement } from '../session/sqliteDriver.ts';
import type { SearchHit, SearchOptions } from '../store/historyStore.ts';
import { HitReader } from './searchHits.ts';
import { EVERY_ROW } from './searchKeys.ts';
import type { SearchKeys } from './searchKeys.ts';
import { codePoints, phrase, splitTerms, TRIGRAM, trigramsOf } from './searchQuery.ts';

/** Hits a search returns unless asked otherwise. */
export const DEFAULT_LIMIT = 50;
/** Candidates asked for beyond the hits still wanted, for the few the text check turns down. */
const MARGIN = 8;
/** Candidates read per round when no term could be looked up (every row of the pass is one). */
const SCAN_CHUNK = 256;
/**
 * Rows a search checks at most when no term could be looked up (only very common one- or
 * two-character terms): such terms are in most rows, so hits come within the first few hundred;
 * the bound keeps a query like `a b c … z` to a fraction of a second.
 */
const SCAN_BUDGET = 10_000;
/** A term shorter than a trigram is looked up as the trigrams starting with it, while there are at most this many. */
const PREFIX_TRIGRAMS = 200;
/** Above every code point: the end of a prefix range in SQLite's binary (UTF-8) order. */
const TOP = '\u{10ffff}';
const AFTER_ALL = Number.MAX_SAFE_INTEGER;
/** Terms looked up in the index at most; any further ones are only checked on the candidates. */
const LOOKED_UP_TERMS = 16;
/** Trigrams of long terms a query asks for at most, shared among its terms: each list read costs, however common. */
const TRIGRAMS_PER_QUERY = 24;

/**
 * Reads the search index (see searchIndex.ts). A query becomes an FTS5 expression naming
 * candidates: the trigrams picked from each long term, and for each shorter term one of the
 * trigrams starting with it (the indexed text ends with two spaces, so every character starts a
 * trigram). {@link HitReader} checks each candidate's text for every term, in the order hits are
 * shown, until there are enough.
 *
 * Order: hits in pinned threads of the workspace, pinned threads elsewhere, the workspace's
 * other threads, everyone else; newest first within each. Each is one FTS5 query over the
 * thread and workspace tokens every row carries (searchKeys.ts), read newest first and stopped
 * at the limit. A short term so common that it starts more than {@link PREFIX_TRIGRAMS}
 * trigrams, or one ASCII character, is not looked up: every row of each group is a candidate
 * (newest first, at most {@link SCAN_BUDGET}), and such a term is in the first few.
 */
export class SearchReader {
  readonly #hits: HitReader;
  readonly #keys: SearchKeys;
  readonly #vocab: Statement;
  readonly #pinned: Statement;
  readonly #newest: Statement;
  readonly #oldestFirst: Statement;

  constructor(db: Database, keys: SearchKeys) {
    this.#hits = new HitReader(db);
    this.#keys = keys;
    // The index's term list, for short terms; per connection, nothing in the file.
    db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.session_chat_search_vocab USING fts5vocab(main, session_chat_search, row)');
    this.#vocab = db.prepare('SELECT term FROM temp.session_chat_search_vocab WHERE term >= ? AND term < ? LIMIT ?');
    this.#pinned = db.prepare('SELECT id FROM session_chat_threads WHERE pinned = 1');
    this.#newest = db.prepare('SELECT rowid AS id FROM session_chat_search WHERE session_chat_search MATCH ? AND rowid < ? ORDER BY rowid DESC LIMIT ?');
    this.#oldestFirst = db.prepare('SELECT rowid AS id FROM session_chat_search WHERE session_chat_search MATCH ? ORDER BY rowid');
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    const terms = splitTerms(query);
    const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_LIMIT));
    if (terms.length === 0 || limit === 0) return [];
    const match = this.#matchExpression(terms);
    if (match === undefined) return [];
    const hits: SearchHit[] = [];
    const seen = new Set<number>();
    const threads = new Map<string, Row | undefined>();
    let budget = match === '' ? SCAN_BUDGET : Infinity;
    for (const pass of this.#passes(match === '' ? phrase(EVERY_ROW) : match, options.workspaceKey)) {
      for (let before = AFTER_ALL; budget > 0; ) {
        const want = match === '' ? SCAN_CHUNK : limit - hits.length + MARGIN;
        const ids = this.#newest.all(pass, before, want).map((row) => Number(row.id));
        budget -= ids.length;
        const fresh = ids.filter((id) => !seen.has(id));
        for (const id of fresh) seen.add(id);
        hits.push(...this.#hits.hits(fresh, terms, threads));
        if (hits.length >= limit) return hits.slice(0, limit);
        if (ids.length < want) break;
        before = ids.at(-1)!;
      }
    }
    return hits;
  }

  findInThread(threadId: string, query: string): number[] {
    const terms = splitTerms(query);
    const thread = this.#keys.find('thread', threadId);
    if (terms.length === 0 || thread === undefined) return [];
    const match = this.#matchExpression(terms);
    if (match === undefined) return [];
    const expression = match === '' ? phrase(thread) : `(${match}) AND ${phrase(thread)}`;
    return this.#hits.matching(
      this.#oldestFirst.all(expression).map((row) => Number(row.id)),
      terms,
    );
  }

  /** The FTS5 expressions of the four groups, in the order their hits come (empty groups left out). */
  #passes(terms: string, workspaceKey: string | undefined): string[] {
    const pinned = this.#pinned
      .all()
      .map((row) => this.#keys.find('thread', row.id as string))
      .filter((token) => token !== undefined);
    const here = workspaceKey === undefined ? undefined : this.#keys.find('workspace', workspaceKey);
    const p = pinned.length > 0 ? `(${pinned.map(phrase).join(' OR ')})` : undefined;
    const w = here === undefined ? undefined : phrase(here);
    const passes: string[] = [];
    if (p && w) passes.push(`(${terms}) AND ${w} AND ${p}`);
    if (p) passes.push(w ? `(${terms}) AND (${p} NOT ${w})` : `(${terms}) AND ${p}`);
    if (w) passes.push(p ? `(${terms}) AND (${w} NOT ${p})` : `(${terms}) AND ${w}`);
    const preferred = [w, p].filter((part) => part !== undefined);
    passes.push(preferred.length > 0 ? `(${terms}) NOT (${preferred.join(' OR ')})` : terms);
    return passes;
  }

  /**
   * The FTS5 expression naming the candidates: each long term's trigrams, and for each shorter
   * term any trigram starting with it, all AND-ed. '' when no term can be looked up; undefined
   * when nothing can match (a short term no trigram starts with). Every trigram is a quoted
   * phrase, so nothing the user typed acts as FTS5 syntax.
   */
  #matchExpression(terms: readonly string[]): string | undefined {
    const parts: string[] = [];
    const looked = terms.slice(0, LOOKED_UP_TERMS);
    const perTerm = Math.floor(TRIGRAMS_PER_QUERY / looked.length);
    for (const term of looked) {
      const length = codePoints(term).length;
      if (length >= TRIGRAM) {
        parts.push(...trigramsOf(term, perTerm).map(phrase));
        continue;
      }
      // One ASCII character is in most rows, and listing the trigrams it starts costs more than
      // finding it; one CJK character starts few, and is often a word.
      if (length === 1 && term.charCodeAt(0) < 0x80) continue;
      const starting = this.#vocab.all(term, `${term}${TOP}`, PREFIX_TRIGRAMS + 1).map((row) => row.term as string);
      if (starting.length === 0) return undefined;
      if (starting.length <= PREFIX_TRIGRAMS) parts.push(`(${starting.map(phrase).join(' OR ')})`);
    }
    return parts.join(' AND ');
  }
}
