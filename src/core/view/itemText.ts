/**
 * Reading loosely-typed history items. Items come from the database as parsed JSON in either the
 * Responses API shape (`call_id`, `function_call_output`, `summary`) or the Agents SDK's
 * TypeScript shape (`callId`, `function_call_result`, `content`), so every read is defensive.
 */

/** A history item seen as a plain JSON object. */
export type LooseItem = Readonly<Record<string, unknown>>;

/** Longest text shown for tool arguments and outputs; the full value stays in the database. */
export const TOOL_TEXT_LIMIT = 1200;

/** Returns the item as an object, or undefined for anything that is not a JSON object. */
export function asObject(value: unknown): LooseItem | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LooseItem) : undefined;
}

/** Returns a string field, or undefined. */
export function stringField(item: LooseItem, key: string): string | undefined {
  const value = item[key];
  return typeof value === 'string' ? value : undefined;
}

/** The text of a message's content: a plain string or the text-bearing parts joined. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content) {
    const object = asObject(part);
    if (!object) continue;
    const text = stringField(object, 'text') ?? stringField(object, 'refusal');
    if (text !== undefined) texts.push(text);
    else if (typeof object.type === 'string' && object.type.includes('image')) texts.push('[image]');
    else if (typeof object.type === 'string' && object.type.includes('file')) texts.push('[file]');
  }
  return texts.join('\n');
}

/** The id that links a function call to its output, in either naming. */
export function callIdOf(item: LooseItem): string | undefined {
  return stringField(item, 'call_id') ?? stringField(item, 'callId');
}

/** Shortens text for display, saying how much was left out so nobody mistakes it for the whole. */
export function shorten(text: string, limit: number = TOOL_TEXT_LIMIT): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}\n… (${text.length - limit} more characters)`;
}

/** Pretty-prints JSON arguments when they parse; otherwise shows them as they are. */
export function prettyArgs(args: unknown): string {
  if (typeof args !== 'string') return args === undefined ? '' : JSON.stringify(args, null, 2);
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
}

/** A tool output as text: strings stay, content parts give their text, other values their JSON. */
export function outputText(output: unknown): string {
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return contentText(output);
  const object = asObject(output);
  if (object) {
    const text = stringField(object, 'text');
    if (text !== undefined) return text;
  }
  return output === undefined ? '' : JSON.stringify(output);
}
