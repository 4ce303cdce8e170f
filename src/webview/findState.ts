/**
 * The find bar's state (Find in Thread), as a pure reducer. The host searches the whole thread
 * (`thread/find`), so the matches are row ids, not only what is rendered; the panel then reveals
 * each match like a search result, loading older pages as needed.
 *
 * Which way is "next": a chat grows at the bottom and the user sits at its newest message, so the
 * first match is the newest one and Next (Enter) walks up to older messages, Previous (Shift+Enter)
 * back down, both wrapping around. VS Code's terminal, the other bottom-anchored text it can find
 * in, searches upward from the bottom the same way. Walking down from the top instead would send
 * the first Enter to the thread's very first message, loading every page on the way.
 */
export interface FindState {
  /** The bar is shown. */
  open: boolean;
  /** What the box holds. */
  query: string;
  /** The query `matches` answer ('' when none was asked yet). */
  searched: string;
  /** Matching row ids, newest first: the order Next walks. */
  matches: number[];
  /** Position in `matches` of the match shown; -1 before the first. */
  index: number;
  /** The `thread/find` in flight, with the text it searches. */
  request?: { id: string; query: string };
  /** Show the first match when the reply arrives (the user typed, or pressed Enter before it came). */
  revealOnResult: boolean;
  /** The last search failed (the host could not read the thread). */
  failed: boolean;
}

export type FindEvent =
  | { type: 'findOpen' }
  | { type: 'findClose' }
  | { type: 'findInput'; query: string }
  /** A `thread/find` for `query` (the box's text) went out; `reveal` shows its first match when it answers. */
  | { type: 'findSearch'; id: string; query: string; reveal: boolean }
  | { type: 'findResult'; id: string; rowIds: readonly number[] }
  | { type: 'findFailed'; id: string }
  | { type: 'findStep'; direction: 'next' | 'previous' }
  /** The thread shown changed: earlier matches belong to another thread. */
  | { type: 'findReset' };

export const initialFind: FindState = { open: false, query: '', searched: '', matches: [], index: -1, revealOnResult: false, failed: false };

/** The match shown, if any. */
export function currentMatch(find: FindState): number | undefined {
  return find.index >= 0 ? find.matches[find.index] : undefined;
}

/** A search is needed before Enter can move: the box holds text the matches do not answer. */
export function isStale(find: FindState): boolean {
  return find.query.trim() !== '' && find.query !== find.searched;
}

/** What the count beside the box says: "3 of 12", "12 results", "No results", or nothing. */
export function findCount(find: FindState): string {
  if (find.query.trim() === '') return '';
  if (find.failed) return 'Could not search';
  if (find.query !== find.searched) return find.request ? 'Searching…' : '';
  const total = find.matches.length;
  if (total === 0) return 'No results';
  if (find.index < 0) return total === 1 ? '1 result' : `${total} results`;
  return `${find.index + 1} of ${total}`;
}

export function reduceFind(find: FindState, event: FindEvent): FindState {
  switch (event.type) {
    case 'findOpen':
      return find.open ? find : { ...find, open: true };
    case 'findClose':
      // The text stays for the next Ctrl+F, as in VS Code's find widgets.
      return { ...find, open: false, request: undefined, revealOnResult: false };
    case 'findInput':
      // An empty box has no matches and asks the host nothing.
      if (event.query.trim() === '') return { ...find, query: event.query, searched: '', matches: [], index: -1, request: undefined, revealOnResult: false, failed: false };
      return { ...find, query: event.query, failed: false };
    case 'findSearch':
      // A search that replaces one still in flight keeps its promise to show the first match.
      return { ...find, request: { id: event.id, query: event.query }, revealOnResult: event.reveal || (find.request !== undefined && find.revealOnResult), failed: false };
    case 'findResult': {
      const request = find.request;
      if (event.id !== request?.id) return find;
      // Newest first: the order Next walks (see the top of this file).
      const matches = [...event.rowIds].sort((a, b) => b - a);
      const shown = currentMatch(find);
      const index = find.revealOnResult ? (matches.length > 0 ? 0 : -1) : shown === undefined ? -1 : matches.indexOf(shown);
      return { ...find, searched: request.query, matches, index, request: undefined, revealOnResult: false, failed: false };
    }
    case 'findFailed':
      return event.id === find.request?.id ? { ...find, searched: find.request.query, matches: [], index: -1, request: undefined, revealOnResult: false, failed: true } : find;
    case 'findStep':
      return step(find, event.direction);
    case 'findReset':
      return { ...find, searched: '', matches: [], index: -1, request: undefined, revealOnResult: false, failed: false };
  }
}

function step(find: FindState, direction: 'next' | 'previous'): FindState {
  const total = find.matches.length;
  // Enter before the reply came: show the first match as soon as it does.
  if (find.request !== undefined) return { ...find, revealOnResult: true };
  if (total === 0) return find;
  if (find.index < 0) return { ...find, index: direction === 'next' ? 0 : total - 1 };
  return { ...find, index: (find.index + (direction === 'next' ? 1 : total - 1)) % total };
}
