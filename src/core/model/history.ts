import type { Item } from '../session/session.ts';
import { callIdOf } from '../items/itemFields.ts';
import { isFunctionCall, isFunctionOutput } from './items.ts';

/**
 * Keeps only tool calls that have their output and outputs whose call came before them. A limit
 * can cut a call off from its output (the output then leads the history) and an interrupted SDK
 * run can leave a call without output; both make the server reject the whole request.
 */
export function pairToolItems(items: readonly Item[]): Item[] {
  const answered = new Set<string>();
  for (const item of items) {
    const id = callIdOf(item);
    if (id !== undefined && isFunctionOutput(item)) answered.add(id);
  }
  const called = new Set<string>();
  return items.filter((item) => {
    const id = callIdOf(item);
    if (isFunctionCall(item)) {
      if (id === undefined || !answered.has(id)) return false;
      called.add(id);
      return true;
    }
    if (isFunctionOutput(item)) return id !== undefined && called.has(id);
    return true;
  });
}

/**
 * The history to send: the latest `limit` items before the user's message plus that message (the
 * last item), like the SDK's `SessionSettings.limit`; undefined or 0 = all of it.
 */
export function limitHistory(history: readonly Item[], limit: number | undefined): Item[] {
  return limit && limit > 0 ? history.slice(-(limit + 1)) : [...history];
}
