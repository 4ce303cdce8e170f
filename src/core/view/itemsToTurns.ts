import type { ViewEntry, ViewTurn } from '../../shared/protocol.ts';
import { asObject, callIdOf, contentText, isUserMessage, stringField, type LooseItem } from '../items/itemFields.ts';
import { outputText, prettyArgs, shorten } from './itemText.ts';
import { attachmentDetail, attachmentName, splitUserContent } from '../context/attachments.ts';
import { readSummary } from '../context/summaryItem.ts';

type ToolEntry = Extract<ViewEntry, { kind: 'tool' }>;

/**
 * Groups history items into turns: a turn starts at each user message; items before the first
 * user message (e.g. a stored system prompt) form a turn of their own. A turn's id is the row id
 * of its first item (`rowIds[i]` is the row of `items[i]`); without row ids, the item's position.
 * With row ids, every entry carries the row id of its item (a tool output merged into its call as
 * the call's `outputRowId`), so the panel can find any stored row, e.g. a search result.
 */
export function itemsToTurns(items: readonly unknown[], rowIds?: readonly number[]): ViewTurn[] {
  const turns: ViewTurn[] = [];
  let current: ViewTurn | undefined;
  let tools = new Map<string, ToolEntry>();
  for (const [position, item] of items.entries()) {
    if (!current || isUserMessage(item)) {
      current = { id: rowIds?.[position] ?? position, entries: [] };
      turns.push(current);
      tools = new Map();
    }
    const rowId = rowIds?.[position];
    const entry = summariseItem(item, tools, rowId);
    if (!entry) continue;
    // Set in place: a tool call entry is also held in `tools`, where its output joins it later.
    if (rowId !== undefined) entry.rowId = rowId;
    current.entries.push(entry);
  }
  return turns;
}

/**
 * One entry for the item, or undefined when it merged into an earlier entry (a tool output joins
 * its call). `tools` holds this turn's calls by call id.
 */
function summariseItem(item: unknown, tools: Map<string, ToolEntry>, rowId: number | undefined): ViewEntry | undefined {
  const object = asObject(item);
  if (!object) return { kind: 'note', text: 'Unreadable item' };
  const type = stringField(object, 'type') ?? 'message';
  switch (type) {
    case 'message':
      return messageEntry(object);
    case 'function_call':
      return callEntry(object, tools);
    case 'function_call_output':
    case 'function_call_result':
      return outputEntry(object, tools, rowId);
    case 'reasoning':
      return { kind: 'reasoning', text: reasoningText(object) };
    default:
      return { kind: 'note', text: noteText(type, object) };
  }
}

function messageEntry(item: LooseItem): ViewEntry {
  // A compaction is stored as a user message, but it is the model's summary, never a question.
  const summary = readSummary(item);
  if (summary) return { kind: 'summary', text: summary.text, turns: summary.turns, kept: summary.kept };
  if (item.role === 'user') return userEntry(item.content);
  const text = contentText(item.content);
  if (item.role === 'assistant') {
    return item.status === 'incomplete' ? { kind: 'assistant', text, partial: true } : { kind: 'assistant', text };
  }
  return { kind: 'note', text: `${String(item.role ?? 'unknown')} message: ${oneLine(text)}` };
}

/** What the user typed, with each attachment as a chip rather than its text. */
function userEntry(content: unknown): ViewEntry {
  const { text, attachments } = splitUserContent(content);
  if (attachments.length === 0) return { kind: 'user', text: contentText(content) };
  return { kind: 'user', text, attachments: attachments.map((attachment) => ({ name: attachmentName(attachment), detail: attachmentDetail(attachment), content: attachment.content })) };
}

function callEntry(item: LooseItem, tools: Map<string, ToolEntry>): ToolEntry {
  const entry: ToolEntry = { kind: 'tool', name: stringField(item, 'name') ?? 'tool', args: shorten(prettyArgs(item.arguments)) };
  const callId = callIdOf(item);
  if (callId !== undefined) tools.set(callId, entry);
  return entry;
}

function outputEntry(item: LooseItem, tools: Map<string, ToolEntry>, rowId: number | undefined): ToolEntry | undefined {
  const output = shorten(outputText(item.output));
  const callId = callIdOf(item);
  const call = callId === undefined ? undefined : tools.get(callId);
  if (call) {
    call.output = output;
    if (rowId !== undefined) call.outputRowId = rowId;
    return undefined;
  }
  // An output whose call is not in this turn still deserves to be seen.
  return { kind: 'tool', name: stringField(item, 'name') ?? 'tool', args: '', output };
}

function reasoningText(item: LooseItem): string {
  const summary = contentText(item.summary);
  return summary !== '' ? summary : contentText(item.content);
}

function noteText(type: string, item: LooseItem): string {
  const name = stringField(item, 'name');
  const words = type.replace(/_/g, ' ');
  const readable = words.charAt(0).toUpperCase() + words.slice(1);
  return name ? `${readable}: ${name}` : readable;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 119)}…` : flat;
}
