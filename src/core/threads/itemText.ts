import { contentText } from '../items/itemFields.ts';
import type { Item } from '../session/session.ts';

/** The text of a message as the panel shows it, so a preview or title reads the same. */
export function messageText(item: Item): string {
  return contentText(item.content);
}

/** Collapses whitespace to one line and cuts at `max` characters (with an ellipsis). */
export function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  if (line.length <= max) return line;
  return `${line.slice(0, max - 1).trimEnd()}…`;
}
