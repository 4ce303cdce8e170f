import type { Item } from '../session/session.ts';

/** True for a user message (`role: 'user'`, with or without `type: 'message'`). */
export function isUserMessage(item: Item): boolean {
  return item.role === 'user' && (item.type === undefined || item.type === 'message');
}

/** True for an assistant message. */
export function isAssistantMessage(item: Item): boolean {
  return item.role === 'assistant' && (item.type === undefined || item.type === 'message');
}

/**
 * The text of a message: `content` as a string, or its `input_text` / `output_text` parts joined.
 * Other parts (images, files, refusals) carry no text to show.
 */
export function messageText(item: Item): string {
  const content = item.content;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  const texts: string[] = [];
  for (const part of content as unknown[]) {
    if (typeof part !== 'object' || part === null) continue;
    const { type, text } = part as { type?: unknown; text?: unknown };
    if ((type === 'input_text' || type === 'output_text') && typeof text === 'string') texts.push(text);
  }
  return texts.join(' ');
}

/** Collapses whitespace to one line and cuts at `max` characters (with an ellipsis). */
export function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  return `${line.slice(0, max - 1).trimEnd()}…`;
}
