import { isUserMessage } from '../items/itemFields.ts';
import type { Item } from '../session/session.ts';
import { answerReserve, fitHistory, NEAR_LIMIT_SHARE } from './contextBudget.ts';
import { historyAfterSummary, readSummary } from './summaryItem.ts';

/** The first read of a thread's history for a request; grown four-fold until what fits is known. */
export const FIRST_READ = 64;

/** What a request sends of a thread, as the meter shows it. */
export interface SendWindow {
  /** The items sent, oldest first. */
  items: Item[];
  /** Estimated tokens of the request: `items` plus what else it sends (system prompt, tools, attachments). */
  used: number;
  /** Older turns left out so that the request fits; they stay stored. */
  trimmedTurns: number;
  /** `trimmedTurns` counts only the turns read: older ones exist and are left out too. */
  trimmedAtLeast: boolean;
  /**
   * `near`: 80 % of the room for history (the window less the answer's room) is used, or turns are
   * trimmed already; `over`: even trimmed, no room is left for the answer.
   */
  level: 'ok' | 'near' | 'over';
}

/** How much of a thread a request may send. */
export interface SendLimits {
  /** The model's context window in tokens. */
  window: number;
  /** Tokens the request spends besides the history: system prompt, tool definitions, attachments. */
  fixedTokens: number;
  /** Trim to the window (`sessionChat.trimHistory`); off = send all that is read. */
  trim: boolean;
}

/**
 * The thread's newest items, read in growing slices (64, 256, 1,024, …): a request needs only what
 * fits its window. A history limit (`sessionChat.historyLimit`, the SDK's `limit`) reads exactly that
 * many; with trimming off and no limit, the whole thread is read at once.
 */
export class HistoryReader {
  readonly #read: (limit?: number) => Promise<Item[]>;
  readonly #limit: number | undefined;
  #want: number;
  /** The items read so far are the whole history the request may send. */
  whole = false;
  /** Items read in all (for benchmarks and logs). */
  itemsRead = 0;

  /** `read(limit)` gives the newest `limit` items (all without one), oldest first: `HistoryStore.getItems`. */
  constructor(read: (limit?: number) => Promise<Item[]>, options: { historyLimit: number; trim: boolean }) {
    this.#read = read;
    this.#limit = options.historyLimit > 0 ? options.historyLimit + 1 : options.trim ? undefined : 0;
    this.#want = this.#limit ?? FIRST_READ;
  }

  first(): Promise<Item[]> {
    return this.#readNow();
  }

  more(): Promise<Item[]> {
    this.#want *= 4;
    return this.#readNow();
  }

  async #readNow(): Promise<Item[]> {
    const items = this.#limit === 0 ? await this.#read() : await this.#read(this.#want);
    this.itemsRead += items.length;
    this.whole = this.#limit !== undefined || items.length < this.#want;
    return items;
  }
}

/** `items` reach back to a compaction and the turns it keeps verbatim: nothing older is sent. */
export function reachesCompaction(items: readonly Item[]): boolean {
  for (let index = items.length - 1; index >= 0; index--) {
    const summary = readSummary(items[index]);
    if (!summary) continue;
    let questions = 0;
    for (let before = index - 1; before >= 0 && questions < summary.kept; before--) if (isUserMessage(items[before])) questions++;
    return questions >= summary.kept;
  }
  return false;
}

/**
 * What a request sends of the thread `reader` reads (`items`: its first read): from the newest
 * compaction on (its summary first), trimmed by whole turns to the window less the answer's room
 * and what else the request sends. Reads further back only while everything read still fits.
 */
export async function sendWindow(reader: HistoryReader, items: Item[], limits: SendLimits): Promise<SendWindow> {
  const room = limits.window - answerReserve(limits.window);
  const budget = room - limits.fixedTokens;
  for (;;) {
    const sendable = historyAfterSummary(items);
    const fitted = limits.trim ? fitHistory(sendable, budget) : { ...fitHistory(sendable, Number.MAX_SAFE_INTEGER), trimmedTurns: 0 };
    // Anything left out by the fit means everything older is left out too: no need to read it.
    if (reader.whole || reachesCompaction(items) || fitted.trimmedTurns > 0) {
      const used = fitted.tokens + limits.fixedTokens;
      const level = used > room ? 'over' : used >= room * NEAR_LIMIT_SHARE || fitted.trimmedTurns > 0 ? 'near' : 'ok';
      return { items: fitted.items, used, trimmedTurns: fitted.trimmedTurns, trimmedAtLeast: fitted.trimmedTurns > 0 && !reader.whole, level };
    }
    items = await reader.more();
  }
}
