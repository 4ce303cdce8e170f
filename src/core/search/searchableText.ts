import { asObject, contentText, stringField } from '../items/itemFields.ts';
import type { Item } from '../session/session.ts';
import { outputText } from '../view/itemText.ts';

/** What kind of item a search hit is: tool calls and their outputs are 'tool', reasoning is the assistant's. */
export type SearchRole = 'user' | 'assistant' | 'tool';

/** What search finds in an item: its text, and the role a hit on it shows. Undefined for items not searched. */
export interface Searchable {
  text: string;
  role: SearchRole;
}

/**
 * The text search covers for one stored item: user and assistant message text, a function
 * call's name and arguments, a function call's output, a reasoning summary. Other items (system
 * and developer messages, hosted tool calls, anything unknown) are not searched.
 */
export function searchable(item: Item): Searchable | undefined {
  const type = stringField(item, 'type') ?? 'message';
  if (type === 'message') {
    const role = item.role;
    if (role !== 'user' && role !== 'assistant') return undefined;
    return { text: contentText(item.content), role };
  }
  if (type === 'function_call') return { text: [stringField(item, 'name') ?? '', argumentsText(item.arguments)].join('\n'), role: 'tool' };
  if (type === 'function_call_output' || type === 'function_call_result') return { text: outputText(item.output), role: 'tool' };
  if (type === 'reasoning') return { text: [contentText(item.summary), contentText(item.content)].filter((text) => text !== '').join('\n'), role: 'assistant' };
  return undefined;
}

/** {@link searchable}'s text alone; '' for items search does not cover. */
export function searchableText(item: Item): string {
  return searchable(item)?.text ?? '';
}

/**
 * Arguments as people read them: JSON arguments give `key: value` lines with strings unescaped
 * (code and Windows paths are found as written, not as JSON escapes); anything else stays as is.
 */
function argumentsText(args: unknown): string {
  if (typeof args !== 'string') return args === undefined ? '' : leaves(args);
  try {
    return leaves(JSON.parse(args));
  } catch {
    return args;
  }
}

function leaves(value: unknown, key?: string): string {
  const object = asObject(value);
  if (object) return Object.entries(object).map(([name, child]) => leaves(child, name)).join('\n');
  if (Array.isArray(value)) return value.map((child) => leaves(child, key)).join('\n');
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? '';
  return key === undefined ? text : `${key}: ${text}`;
}
