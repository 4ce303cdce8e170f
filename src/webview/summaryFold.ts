import type { ViewTurn } from '../shared/protocol.ts';

/** The turns a compaction covers, shown folded at the top of the log. */
export interface SummaryFold {
  /** How many of the shown turns, from the oldest, are folded. */
  count: number;
  /** How many turns the summary says it covers (the fold's label; older pages may not be loaded yet). */
  summarised: number;
  /** The id of the summary's turn. */
  summaryId: number;
}

/**
 * Which shown turns a summary covers: every turn shown before a summary turn except the `kept`
 * newest of them. Pages are loaded from the newest backwards, so what is folded is always a run of
 * the oldest shown turns, and a page loaded later that lies before the summary joins the fold. With
 * several compactions the one reaching furthest (normally the newest) decides. Undefined when no
 * shown turn is covered.
 */
export function summaryFold(turns: readonly ViewTurn[]): SummaryFold | undefined {
  let fold: SummaryFold | undefined;
  turns.forEach((turn, index) => {
    for (const entry of turn.entries) {
      if (entry.kind !== 'summary') continue;
      const count = index - entry.kept;
      if (count > 0 && count >= (fold?.count ?? 0)) fold = { count, summarised: entry.turns, summaryId: turn.id };
    }
  });
  return fold;
}

/** True when the turn is a compaction's summary (it offers no Retry, Edit or Regenerate). */
export function isSummaryTurn(turn: ViewTurn): boolean {
  return turn.entries.some((entry) => entry.kind === 'summary');
}
