import type { Item, Session } from '../session/session.ts';
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
 * The stored history to send: the latest `limit` items of history plus the user's message. When
 * `runTurn` gets `userText` (scripts, tests), that message is not stored yet and is appended after
 * these items; when it does not (the panel, which stores the message itself first, and Retry), the
 * message is already the last stored item, so one more item is read and both requests match.
 */
export async function readHistory(session: Session, limit: number | undefined, retry: boolean): Promise<Item[]> {
  const count = limit && limit > 0 ? limit + (retry ? 1 : 0) : undefined;
  return session.getItems(count);
}
