import { randomUUID } from 'node:crypto';
import { asObject, contentText, isUserMessage, stringField } from '../items/itemFields.ts';
import { pairToolItems } from '../model/history.ts';
import { userItem } from '../model/items.ts';
import type { ModelSource } from '../model/modelSource.ts';
import type { RunError } from '../model/runError.ts';
import { runTurn } from '../model/runner.ts';
import type { TurnSettings } from '../model/types.ts';
import { estimateTokens } from '../model/usage.ts';
import type { Item } from '../session/session.ts';
import type { HistoryStore } from '../store/historyStore.ts';
import { outputText, prettyArgs, shorten } from '../view/itemText.ts';
import { attachmentName, splitUserContent } from './attachments.ts';
import { historyAfterSummary, readSummary, summaryItem, type Summary } from './summaryItem.ts';

/**
 * Session Chat: Compact Thread, without VS Code: which turns the model summarises, what it is
 * asked, and storing its summary as one appended item (see summaryItem.ts). The originals stay in
 * the store; Undo Last Turn removes the summary like a turn.
 */

/** How many of the newest turns stay verbatim after the summary unless the caller says otherwise. */
export const DEFAULT_KEEP_TURNS = 2;

/**
 * Longest tool argument or output copied into the transcript. What a tool returned (a file, a
 * listing) is read again when needed; the summary needs what was learnt from it, not its bytes.
 */
export const TRANSCRIPT_TOOL_CHARS = 2000;

/** The summariser's instructions: facts carry over, code does not (it can be read again). */
export const COMPACTION_PROMPT = [
  'You condense a conversation between a user and an AI assistant so that it can go on without the original messages.',
  'Your summary replaces the older part of the conversation: the assistant will see nothing of it but what you write.',
  '',
  'Write a faithful, dense summary in Markdown. Keep:',
  "- the user's goals and requests, in their own terms, and how they changed;",
  '- decisions made and the reasons given, including approaches that were rejected;',
  '- facts established: names, numbers, versions, settings, error messages and how they were resolved;',
  '- every file path, command, URL and code identifier (functions, classes, variables) that was mentioned, exactly as written;',
  '- what was done and what is still open: unanswered questions, pending tasks, next steps.',
  '',
  'Leave out greetings, pleasantries, repetition and long code or tool output: say what the code does or what the output showed, and where it is.',
  'Keep the order in which things happened. Do not invent anything, do not answer open questions, and do not address the user.',
  'If a previous summary is given, fold it into yours: your summary must cover everything it covered as well.',
  'Reply with the summary only.',
].join('\n');

/** What the model is asked: the instructions and one user message holding the transcript. */
export interface CompactionRequest {
  systemPrompt: string;
  history: Item[];
}

/** What Compact Thread would do to a thread's history. */
export type CompactionPlan =
  | {
      status: 'ready';
      /** Turns the new summary covers: those summarised now plus those an earlier summary covered. */
      turns: number;
      /** Turns summarised by this compaction (sent verbatim until now). */
      summarised: number;
      /** Newest turns still sent verbatim after the summary. */
      kept: number;
      /** The summary this one folds in, if the thread was compacted before. */
      previous?: Summary;
      /**
       * Oldest turns of the summarised part left out of the request because the model's context
       * window cannot hold them (they are not sent today either: the history is trimmed to it).
       */
      omitted: number;
      request: CompactionRequest;
    }
  | { status: 'nothing'; reason: string };

/**
 * Decides what Compact Thread summarises of `items` (the stored thread, oldest first): every turn
 * that is sent verbatim today (since the newest compaction, its kept turns included, or from the
 * start) except the newest `keepTurns`. A turn is a user message and what follows it, so a tool
 * call and its output always fall on the same side.
 */
export function planCompaction(items: readonly Item[], keepTurns: number = DEFAULT_KEEP_TURNS, maxInputTokens?: number): CompactionPlan {
  const keep = Math.max(0, Math.floor(keepTurns));
  const sent = historyAfterSummary(items);
  const previous = sent.length > 0 ? readSummary(sent[0]) : undefined;
  const turns = groupTurns(previous ? sent.slice(1) : sent);
  if (turns.length === 0) return { status: 'nothing', reason: previous ? 'nothing was said since the last summary.' : 'the thread has no messages yet.' };
  const summarised = turns.length - keep;
  if (summarised < 1) {
    const since = previous ? ' besides the last summary' : '';
    const count = turns.length === 1 ? 'only 1 turn is' : `only ${turns.length} turns are`;
    return { status: 'nothing', reason: `${count} sent${since}, and the newest ${keep === 1 ? 'turn is' : `${keep} turns are`} kept as they are.` };
  }
  const older = turns.slice(0, summarised);
  const fitting = newestFitting(older, maxInputTokens === undefined ? Number.POSITIVE_INFINITY : maxInputTokens - estimateTokens(COMPACTION_PROMPT + compactionMessage([], previous, 0)));
  const omitted = older.length - fitting.length;
  return {
    status: 'ready',
    turns: (previous?.turns ?? 0) + summarised,
    summarised,
    kept: turns.length - summarised,
    ...(previous ? { previous } : {}),
    omitted,
    request: { systemPrompt: COMPACTION_PROMPT, history: [userItem(compactionMessage(fitting.flat(), previous, omitted))] },
  };
}

/**
 * The newest of `turns` whose transcript fits in `budget` tokens (estimated), oldest first; at
 * least the newest one, so a request is always made (an over-long turn gets the server's answer).
 */
function newestFitting(turns: readonly Item[][], budget: number): Item[][] {
  let used = 0;
  let from = turns.length;
  while (from > 0) {
    const cost = estimateTokens(transcript(turns[from - 1]!)) + 1;
    if (from < turns.length && used + cost > budget) break;
    used += cost;
    from--;
  }
  return turns.slice(from);
}

/** Items split into turns: each user message starts one; items before the first join the first. */
function groupTurns(items: readonly Item[]): Item[][] {
  const turns: Item[][] = [];
  for (const item of items) {
    if (turns.length === 0 || (isUserMessage(item) && turns.at(-1)!.some(isUserMessage))) turns.push([item]);
    else turns.at(-1)!.push(item);
  }
  return turns;
}

/** The one message the summariser reads: the request, the previous summary, then the transcript. */
function compactionMessage(items: readonly Item[], previous: Summary | undefined, omitted: number): string {
  const parts = ['Summarise the conversation below, as your instructions say.'];
  if (previous) parts.push('', `<previous_summary turns="${previous.turns}">`, previous.text, '</previous_summary>');
  if (omitted > 0) parts.push('', `(${omitted === 1 ? 'One older turn does' : `${omitted} older turns do`} not fit in the model's context window and ${omitted === 1 ? 'is' : 'are'} left out here.)`);
  parts.push('', '<conversation>', transcript(items), '</conversation>');
  return parts.join('\n');
}

/**
 * The turns as plain text, one entry per item. Plain text rather than the items themselves: the
 * summariser is offered no tools, and some servers refuse tool calls in a request without any.
 * Orphan calls and outputs (an interrupted run) are left out, as they are from every request.
 */
export function transcript(items: readonly Item[]): string {
  return pairToolItems(items)
    .map(entryText)
    .filter((text) => text !== '')
    .join('\n\n');
}

function entryText(item: Item): string {
  const object = asObject(item) ?? {};
  const type = stringField(object, 'type') ?? 'message';
  if (type === 'message') {
    if (object.role === 'user') {
      const { text, attachments } = splitUserContent(object.content);
      const attached = attachments.length === 0 ? '' : `\n[attached: ${attachments.map(attachmentName).join(', ')}]`;
      return `User: ${text}${attached}`;
    }
    const text = contentText(object.content);
    if (object.role === 'assistant') return `Assistant${object.status === 'incomplete' ? ' (stopped before the end)' : ''}: ${text}`;
    return `${String(object.role ?? 'Unknown')}: ${text}`;
  }
  if (type === 'function_call') return `Tool call ${stringField(object, 'name') ?? 'tool'}: ${shorten(prettyArgs(object.arguments), TRANSCRIPT_TOOL_CHARS)}`;
  if (type === 'function_call_output' || type === 'function_call_result') return `Tool output: ${shorten(outputText(object.output), TRANSCRIPT_TOOL_CHARS)}`;
  // Reasoning and unknown items carry nothing the summary needs that the answers do not say.
  return '';
}

/** How a Compact Thread ended. */
export type CompactionOutcome =
  | { status: 'compacted'; turns: number; summarised: number; kept: number; omitted: number; summaryRowId: number }
  | { status: 'nothing'; reason: string }
  /** The model failed; nothing was stored. */
  | { status: 'failed'; error: RunError }
  /** Cancelled, or the summary hit an answer cap: nothing was stored. */
  | { status: 'stopped'; cut?: 'length' | 'time' }
  /** The model answered with no text: nothing was stored. */
  | { status: 'empty' }
  /** The thread changed while the model wrote the summary (a message, an undo): nothing was stored. */
  | { status: 'conflict' };

export interface CompactionOptions {
  keepTurns?: number;
  /** What the request may hold (the model's context window less room for the summary); default: no limit. */
  maxInputTokens?: number;
  /** Cancels the request; nothing is stored. */
  signal?: AbortSignal;
  /** The summary as it streams (for progress). */
  onDelta?(text: string): void;
}

/**
 * Compacts a stored thread: asks `source` for a summary of the older turns (with the model and
 * caps of `settings`; the summariser's own instructions replace the system prompt) and appends it
 * as one item, only if the thread still ends at the row read before asking.
 */
export async function compactThread(store: HistoryStore, threadId: string, source: ModelSource, settings: TurnSettings, options: CompactionOptions = {}): Promise<CompactionOutcome> {
  // The last row first: anything written after it (even before the items are read) is a conflict.
  const last = await store.lastItem(threadId);
  if (!last) return { status: 'nothing', reason: 'the thread has no messages yet.' };
  const plan = planCompaction(await store.getItems(threadId), options.keepTurns, options.maxInputTokens);
  if (plan.status === 'nothing') return plan;
  // The summariser's instructions replace the chat's; the one message it reads is never limited.
  const asked: TurnSettings = { ...settings, systemPrompt: plan.request.systemPrompt };
  delete asked.historyLimit;
  const result = await runTurn({
    source,
    history: plan.request.history,
    settings: asked,
    signal: options.signal ?? new AbortController().signal,
    onDelta: (delta) => options.onDelta?.(delta),
  });
  if (result.status === 'failed') return { status: 'failed', error: result.error };
  if (result.status === 'stopped') return result.cut ? { status: 'stopped', cut: result.cut } : { status: 'stopped' };
  const text = result.text.trim();
  if (text === '') return { status: 'empty' };
  const stored = await store.applyTransaction({
    operationId: `compact-${threadId}-${last.rowId}-${randomUUID()}`,
    threadId,
    expectedLastRowId: last.rowId,
    replacement: [summaryItem({ text, turns: plan.turns, kept: plan.kept })],
  });
  if (stored.status === 'conflict') return { status: 'conflict' };
  return { status: 'compacted', turns: plan.turns, summarised: plan.summarised, kept: plan.kept, omitted: plan.omitted, summaryRowId: stored.lastRowId };
}
