import type { OlderTurns, ViewTurn } from '../../shared/protocol.ts';

/** How many turns one page holds: enough to fill a tall panel, small enough for postMessage. */
export const PAGE_SIZE = 30;

/** The newest `size` turns (oldest first) and whether older ones exist. */
export function newestPage(turns: readonly ViewTurn[], size: number = PAGE_SIZE): OlderTurns {
  return pageBefore(turns, turns.length, size);
}

/**
 * The `size` turns just before the turn with index `beforeIndex` (oldest first) and whether
 * older ones exist. Turn indexes equal positions, so a bad index from the webview is clamped.
 */
export function pageBefore(turns: readonly ViewTurn[], beforeIndex: number, size: number = PAGE_SIZE): OlderTurns {
  const end = Math.max(0, Math.min(Math.floor(beforeIndex), turns.length));
  const start = Math.max(0, end - Math.max(1, Math.floor(size)));
  return { turns: turns.slice(start, end), hasOlder: start > 0 };
}
