import { foldWithMap, isAscii } from './fold.ts';
import type { FoldedText } from './fold.ts';

/** Longest snippet, ellipses included. */
export const SNIPPET_LENGTH = 120;
/** How much text before the first match a snippet keeps, when there is more. */
const LEAD = 30;
/** How far a cut may move to land between words instead of inside one. */
const WORD_SLACK = 12;
const ELLIPSIS = '…';

/** One line around the first match, and where every term occurs in it. */
export interface Snippet {
  snippet: string;
  highlights: Array<[number, number]>;
}

/**
 * The snippet of a hit: `text` on one line (whitespace collapsed), cut to about
 * {@link SNIPPET_LENGTH} characters around the first occurrence of any of `terms` (folded, see
 * fold.ts), with `…` where text was cut; `highlights` are the [start, end) ranges of every
 * occurrence of every term inside the snippet, merged and in order.
 */
export function snippetOf(text: string, terms: readonly string[]): Snippet {
  const line = text.replace(/\s+/g, ' ').trim();
  const { folded, starts, ends } = foldLine(line);
  const occurrences: Array<[number, number]> = [];
  for (const term of terms) {
    for (let at = folded.indexOf(term); at !== -1 && term !== ''; at = folded.indexOf(term, at + 1)) {
      occurrences.push(starts ? [starts[at]!, ends![at + term.length - 1]!] : [at, at + term.length]);
    }
  }
  occurrences.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const [start, end] = windowAround(line, occurrences[0]?.[0] ?? 0);
  const prefix = start > 0 ? ELLIPSIS : '';
  const snippet = `${prefix}${line.slice(start, end)}${end < line.length ? ELLIPSIS : ''}`;
  const highlights: Array<[number, number]> = [];
  for (const [from, to] of occurrences) {
    const a = Math.max(from, start);
    const b = Math.min(to, end);
    if (a >= b) continue;
    const range: [number, number] = [a - start + prefix.length, b - start + prefix.length];
    const last = highlights.at(-1);
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else highlights.push(range);
  }
  return { snippet, highlights };
}

/**
 * The folded line and its map back; an ASCII line (whitespace already collapsed) folds to the
 * same length, character for character, so it needs no map.
 */
function foldLine(line: string): { folded: string; starts?: FoldedText['starts']; ends?: FoldedText['ends'] } {
  return isAscii(line) ? { folded: line.toLowerCase() } : foldWithMap(line);
}

/** The [start, end) of `line` to show: up to {@link LEAD} characters before `matchAt`, cut between words where one is near. */
function windowAround(line: string, matchAt: number): [number, number] {
  if (line.length <= SNIPPET_LENGTH) return [0, line.length];
  let start = Math.max(0, matchAt - LEAD);
  if (start > 0) {
    const space = line.indexOf(' ', start);
    if (space !== -1 && space < matchAt && space - start <= WORD_SLACK) start = space + 1;
  }
  const budget = SNIPPET_LENGTH - (start > 0 ? 1 : 0) - 1;
  let end = Math.min(line.length, start + budget);
  if (end === line.length) {
    // Near the end: take more of what comes before instead.
    start = Math.max(0, Math.min(start, line.length - (SNIPPET_LENGTH - 1)));
  } else {
    const space = line.lastIndexOf(' ', end);
    if (space > matchAt && end - space <= WORD_SLACK) end = space;
  }
  return [avoidSplitPair(line, start), avoidSplitPair(line, end)];
}

/** Moves a cut off the middle of a surrogate pair (an emoji, a rare CJK character). */
function avoidSplitPair(line: string, at: number): number {
  const code = line.charCodeAt(at);
  return at > 0 && at < line.length && code >= 0xdc00 && code <= 0xdfff ? at - 1 : at;
}
