import { foldText } from './fold.ts';

/** The trigram tokenizer's token length, in code points. */
export const TRIGRAM = 3;
/** Trigrams looked up per term at most; the rest of the term is checked on the candidates' text. */
const TRIGRAMS_PER_TERM = 8;

/**
 * Splits what the user typed into terms: on whitespace, except that a `"double-quoted phrase"`
 * is one term. A quote opens a phrase only at the start of a term and only when a closing quote
 * follows; any other quote is text (`a"b`, a lone `"`). Nothing else is special: `*`, `-`,
 * `AND`, `NEAR(` are text to find. Terms are folded (see fold.ts) and trimmed; a term that folds
 * to nothing is dropped, and so is a repeated one.
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

/** The code points of `text` (what SQLite's trigram tokenizer counts). */
export function codePoints(text: string): string[] {
  return Array.from(text);
}

/**
 * The trigrams of a term the index is asked for: all distinct ones, or for a long term `most`
 * (at most {@link TRIGRAMS_PER_TERM}) spread over it, first and last included. A row holding them all is a
 * candidate, and its text is then checked for the whole term. Without positions in the index,
 * overlapping trigrams are what keeps candidates few (`dhi` of `readHistory` is rare, while
 * `ead`, `his` and `ist` are everywhere), and one more trigram costs FTS5 little.
 */
export function trigramsOf(term: string, most: number = TRIGRAMS_PER_TERM): string[] {
  const cps = codePoints(term);
  const all: string[] = [];
  for (let at = 0; at + TRIGRAM <= cps.length; at++) all.push(cps.slice(at, at + TRIGRAM).join(''));
  const distinct = [...new Set(all)];
  const count = Math.max(1, Math.min(most, TRIGRAMS_PER_TERM));
  if (distinct.length <= count) return distinct;
  if (count === 1) return [distinct[Math.floor(distinct.length / 2)]!];
  const last = distinct.length - 1;
  return [...new Set(Array.from({ length: count }, (_, k) => distinct[Math.round((k * last) / (count - 1))]!))];
}

/** One FTS5 phrase holding exactly `text`: quoted, inner quotes doubled (FTS5's only escape). */
export function phrase(text: string): string {
  return `"${text.replaceAll('"', '""')}"`;
}
