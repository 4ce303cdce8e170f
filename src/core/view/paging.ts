import type { TurnPage } from '../../shared/protocol.ts';
import type { ItemPage } from '../store/historyStore.ts';
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
