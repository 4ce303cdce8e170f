import { asObject, contentText, isUserMessage } from '../items/itemFields.ts';
import { functionOutputText, isFunctionCall, isFunctionOutput, wireText } from '../model/items.ts';
import { estimateTokens } from '../model/usage.ts';
import type { Item } from '../session/session.ts';

/**
 * What fits in a model's context window. Counting is an estimate (characters / 4, plus a few
 * tokens of framing per message, as the chat formats add): the model's own tokenizer is not
 * known here, and the meter and the trimming only need to be close and on the safe side.
 */

/** Tokens each message costs besides its text (role markers, separators), as OpenAI documents for its chat format. */
export const TOKENS_PER_MESSAGE = 4;

/** The window assumed when neither the model nor `sessionChat.contextWindow` says: today's common size. */
export const ASSUMED_CONTEXT_WINDOW = 128_000;

/** The meter warns from this share of the window on. */
export const NEAR_LIMIT_SHARE = 0.8;

/** The readable text of an item as the model receives it: message text, call name and arguments, output. */
export function itemText(item: Item): string {
  const object = asObject(item);
  if (!object) return '';
  if (isFunctionCall(item)) return `${String(object.name ?? '')}${typeof object.arguments === 'string' ? object.arguments : JSON.stringify(object.arguments ?? '')}`;
  if (isFunctionOutput(item)) return functionOutputText(item);
  if (object.type === 'reasoning') return contentText(object.summary) || contentText(object.content);
  return wireText(object.content);
}

/** Estimated tokens of one item. */
export function itemTokens(item: Item): number {
  return estimateTokens(itemText(item)) + TOKENS_PER_MESSAGE;
}

/** Estimated tokens of items. */
export function itemsTokens(items: readonly Item[]): number {
  let total = 0;
  for (const item of items) total += itemTokens(item);
  return total;
}

/**
 * Room kept for the answer: a quarter of the window, at most 8,192 tokens (answers longer than
 * that are rare in a chat, and a large window should not give away tens of thousands of tokens).
 */
export function answerReserve(window: number): number {
  return Math.min(Math.floor(window / 4), 8_192);
}

/** Where each turn of `items` starts (a user message; items before the first one form a turn too). */
export function turnStarts(items: readonly Item[]): number[] {
  const starts: number[] = [];
  items.forEach((item, index) => {
    if (index === 0 || isUserMessage(item)) starts.push(index);
  });
  return starts;
}

/** What {@link fitHistory} kept. */
export interface FittedHistory {
  /** The newest whole turns that fit, oldest first; always at least the newest turn. */
  items: Item[];
  /** Estimated tokens of `items`. */
  tokens: number;
  /** How many older turns of the given items were left out. */
  trimmedTurns: number;
  /** The newest turn alone is larger than the budget (it is sent anyway: only the model can say no). */
  over: boolean;
}

/**
 * The newest whole turns of `history` whose estimated tokens fit `budget`, oldest first. A turn
 * is never split, so a tool call always travels with its output and an answer with its question.
 */
export function fitHistory(history: readonly Item[], budget: number): FittedHistory {
  const starts = turnStarts(history);
  let tokens = 0;
  let from = history.length;
  for (let turn = starts.length - 1; turn >= 0; turn--) {
    const start = starts[turn]!;
    const turnTokens = itemsTokens(history.slice(start, from));
    if (from < history.length && tokens + turnTokens > budget) break;
    tokens += turnTokens;
    from = start;
  }
  const trimmedTurns = starts.filter((start) => start < from).length;
  return { items: history.slice(from), tokens, trimmedTurns, over: tokens > budget };
}
