import { codePointLength, foldText } from './fold.ts';

/** Shortest term the trigram index can look up; shorter ones are found by scanning the indexed text. */
export const TRIGRAM = 3;

/** A query taken apart: every term must occur in an item's folded text. */
export interface SearchTerms {
  /** All terms, folded, in the order typed (duplicates removed). */
  all: string[];
  /** The FTS5 MATCH expression for the terms of at least {@link TRIGRAM} code points; '' when none. */
  match: string;
  /** Terms shorter than a trigram, as a JSON array for `json_each` (never spliced into SQL). */
  short: string;
  /** True when {@link short} lists at least one term. */
  hasShort: boolean;
}

/**
 * Splits what the user typed into terms: on whitespace, except that a `"double-quoted phrase"`
 * is one term. A quote opens a phrase only at the start of a term and only when a closing quote
 * follows; any other quote is text (`a"b`, a lone `"`). Nothing else is special: `*`, `-`,
 * `AND`, `NEAR(` are text to find. Terms are folded (see fold.ts); a term that folds to nothing
 * is dropped.
 */
export function splitTerms(query: string): string[] {
  const terms: string[] = [];
  let i = 0;
  while (i < query.length) {
    while (i < query.length && /\s/.test(query[i]!)) i++;
    if (i >= query.length) break;
    const close = query[i] === '"' ? query.indexOf('"', i + 1) : -1;
    if (close !== -1) {
      terms.push(query.slice(i + 1, close));
      i = close + 1;
      continue;
    }
    let end = i;
    while (end < query.length && !/\s/.test(query[end]!)) end++;
    terms.push(query.slice(i, end));
    i = end;
  }
  const folded = terms.map((term) => foldText(term).trim()).filter((term) => term !== '');
  return [...new Set(folded)];
}

/**
 * The terms of `query` ready for SQL. Long terms become one FTS5 phrase each (`"…"`, inner quotes
 * doubled), which the trigram tokenizer matches as a substring; phrases side by side are AND-ed.
 */
export function searchTerms(query: string): SearchTerms {
  const all = splitTerms(query);
  const long = all.filter((term) => codePointLength(term) >= TRIGRAM);
  const short = all.filter((term) => codePointLength(term) < TRIGRAM);
  return {
    all,
    match: long.map((term) => `"${term.replaceAll('"', '""')}"`).join(' '),
    short: JSON.stringify(short),
    hasShort: short.length > 0,
  };
}
