import { asObject, contentText, stringField } from '../items/itemFields.ts';

/* Turning tool calls and their outputs into short, readable text for the panel. */

/** Longest text shown for tool arguments and outputs; the full value stays in the database. */
export const TOOL_TEXT_LIMIT = 1200;

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
