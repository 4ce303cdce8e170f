import type { TurnPage, ViewTurn } from '../../shared/protocol.ts';
import type { ItemPage, TurnVersions } from '../store/historyStore.ts';
import { isUserMessage } from '../items/itemFields.ts';
import { itemsToTurns } from './itemsToTurns.ts';

/** How many turns one page holds: enough to fill a tall panel, small enough for postMessage. */
export const PAGE_SIZE = 30;

/** A page of stored items as the panel's turns, each named by the row id of its first item. */
export function toTurnPage(page: ItemPage): TurnPage {
  const turns = itemsToTurns(
    page.items.map((stored) => stored.item),
    page.items.map((stored) => stored.rowId),
  );
  return page.olderId === undefined ? { turns, hasOlder: false } : { turns, hasOlder: true, olderId: page.olderId };
}

/**
 * Marks the turns that have several versions with the one shown, counted from 1 as the panel's
 * switcher says it ("2 / 3"); `versions` is the store's answer for these turns (0-based).
 */
export function withVersions(turns: readonly ViewTurn[], versions: ReadonlyMap<number, TurnVersions>): ViewTurn[] {
  return turns.map((turn) => {
    const shown = versions.get(turn.id);
    return shown && shown.count > 1 ? { ...turn, versions: { index: shown.index + 1, count: shown.count } } : turn;
  });
}

/** The ids of a page's turns, as {@link toTurnPage} names them: the row of each turn's first item. */
export function turnIdsOf(page: ItemPage): number[] {
  return page.items.flatMap((stored, position) => (position === 0 || isUserMessage(stored.item) ? [stored.rowId] : []));
}
