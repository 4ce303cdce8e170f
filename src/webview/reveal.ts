import type { ViewTurn } from '../shared/protocol.ts';

/** A stored message to bring on screen (a Search History result or a find match), until it is there. */
export interface RevealTarget {
  /** The thread that holds it; the reveal waits for a snapshot of it. */
  threadId: string;
  /** The message's row id. */
  rowId: number;
  /** Its turn's id when the host said (a search result); else found from the loaded turns. */
  turnId?: number;
  /** What the announcement says before the message's words, e.g. "Found" or "2 of 5". */
  label: string;
}

/** What the panel shows of a thread, as far as revealing a row is concerned. */
export interface RevealView {
  threadId: string | undefined;
  /** Turns shown, oldest first. */
  turns: readonly ViewTurn[];
  hasOlder: boolean;
  /** A `thread/loadOlder` is in flight. */
  loading: boolean;
  /** Loading older turns failed until the next snapshot. */
  loadFailed: boolean;
}

/** The next thing to do for a pending reveal. */
export type RevealStep =
  /** Its thread is not shown yet, or an older page is on its way. */
  | { kind: 'wait' }
  /** The row lies before the loaded turns: ask for the next older page. */
  | { kind: 'loadOlder' }
  /** The row's turn is loaded: scroll to the row (or, if it is not rendered, to its turn). */
  | { kind: 'show'; rowId: number; turnId: number | undefined }
  /** The row cannot be reached (loading failed). */
  | { kind: 'giveUp' };

/**
 * Row ids grow with every stored item and a turn is named by its first row, so a row is loaded
 * exactly when the oldest loaded turn is not newer than it (or nothing older exists); its turn is
 * the newest loaded turn that starts at or before it.
 */
export function revealStep(target: RevealTarget, view: RevealView): RevealStep {
  if (view.threadId !== target.threadId) return { kind: 'wait' };
  const oldest = view.turns[0]?.id;
  const loaded = !view.hasOlder || (oldest !== undefined && oldest <= target.rowId);
  if (loaded) return { kind: 'show', rowId: target.rowId, turnId: target.turnId ?? turnOf(view.turns, target.rowId) };
  if (view.loading) return { kind: 'wait' };
  if (view.loadFailed) return { kind: 'giveUp' };
  return { kind: 'loadOlder' };
}

/** The id of the loaded turn that holds `rowId`: the newest one starting at or before it. */
export function turnOf(turns: readonly ViewTurn[], rowId: number): number | undefined {
  let found: number | undefined;
  for (const turn of turns) {
    if (turn.id > rowId) break;
    found = turn.id;
  }
  return found;
}
