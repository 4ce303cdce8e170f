import { asObject, isUserMessage } from '../items/itemFields.ts';
import type { Item } from '../session/session.ts';

/**
 * A compaction (Session Chat: Compact Thread) is one item appended to the thread: a user message
 * whose single `input_text` part is the model's summary of the older turns inside a header, e.g.
 *
 *   { type: 'message', role: 'user', content: [{ type: 'input_text', text:
 *       '<conversation_summary turns="12" kept="2">\n…the summary…\n</conversation_summary>' }] }
 *
 * Appended, not written over the turns it summarises: nothing is removed from the store, the SDK
 * reads the thread as it always did (it sees the summary as one more message), Undo Last Turn
 * removes it like any turn and Redo brings it back. What the panel sends is the summary first,
 * then the `kept` newest turns before it verbatim, then everything after it (see
 * `historyAfterSummary`). As a user message it starts a turn of its own, so pages and Undo
 * treat it as one; the panel shows it as a summary, never as a question to retry.
 */

const OPEN = /^<conversation_summary turns="(\d+)" kept="(\d+)">\n/;
const CLOSE = '\n</conversation_summary>';

/** A compaction as the panel and the request builder read it. */
export interface Summary {
  text: string;
  /** How many turns before it the summary replaces in what is sent. */
  turns: number;
  /** How many of the newest turns before it are still sent verbatim. */
  kept: number;
}

/** The item that records a compaction. */
export function summaryItem(summary: Summary): Item {
  const text = `<conversation_summary turns="${summary.turns}" kept="${summary.kept}">\n${summary.text}${CLOSE}`;
  return { type: 'message', role: 'user', content: [{ type: 'input_text', text }] } as Item;
}

/** The compaction this item records, or undefined for any other item. */
export function readSummary(item: unknown): Summary | undefined {
  if (!isUserMessage(item)) return undefined;
  const content = asObject(item)?.content;
  if (!Array.isArray(content) || content.length !== 1) return undefined;
  const part = asObject(content[0]);
  const text = part?.type === 'input_text' && typeof part.text === 'string' ? part.text : undefined;
  const open = text === undefined ? null : OPEN.exec(text);
  if (!text || !open || !text.endsWith(CLOSE)) return undefined;
  return { text: text.slice(open[0].length, text.length - CLOSE.length), turns: Number(open[1]), kept: Number(open[2]) };
}

/** True when the item records a compaction. */
export function isSummaryItem(item: unknown): boolean {
  return readSummary(item) !== undefined;
}

/**
 * What is sent of `history` (oldest first): from its newest compaction on, the summary first,
 * then the `kept` turns before the summary verbatim, then everything after it. Without a
 * compaction, the history as it is. The summary comes first so the model reads the older part
 * of the conversation before the newer one.
 */
export function historyAfterSummary(history: readonly Item[]): Item[] {
  let at = -1;
  for (let index = history.length - 1; index >= 0; index--) {
    if (isSummaryItem(history[index])) {
      at = index;
      break;
    }
  }
  if (at < 0) return [...history];
  const summary = readSummary(history[at])!;
  let keptFrom = at;
  for (let turns = 0; keptFrom > 0 && turns < summary.kept; ) {
    keptFrom--;
    if (isUserMessage(history[keptFrom]) && !isSummaryItem(history[keptFrom])) turns++;
  }
  return [history[at]!, ...history.slice(keptFrom, at).filter((item) => !isSummaryItem(item)), ...history.slice(at + 1)];
}
