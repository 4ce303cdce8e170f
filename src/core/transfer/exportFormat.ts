/**
 * Session Chat's own export format, version 1 (docs/formats/README.md and
 * docs/formats/session-chat-export.schema.json describe it for people and validators). Shared by
 * the writer (exportFile.ts) and the streaming reader (exportReader.ts) so the two cannot drift.
 */

/** The value of the document's `format` field. */
export const EXPORT_FORMAT = 'session-chat-export';

/** The version this code writes; a reader takes this one and refuses newer ones. */
export const EXPORT_VERSION = 1;

/** Which threads an export holds. */
export type ExportScope = 'thread' | 'workspace' | 'all';

/**
 * The readable form of one stored item (`message_data`) and, when that form would not give the
 * same text back, the text itself. `JSON.stringify(JSON.parse(text))` equals the stored text for
 * every row this extension or the TypeScript SDK writes; rows written by Python's `json.dumps`
 * (spaces after `:` and `,`, `\u00e9` escapes) or corrupt rows do not, and keep their exact text.
 */
export interface ReadableItem {
  /** The parsed item, or null when the stored text is not JSON at all. */
  value: unknown;
  /** The stored text, only when `value` does not stringify back to it. */
  raw?: string;
}

/** Parses a stored item, keeping its text when the parsed form would not reproduce it. */
export function readableItem(text: string): ReadableItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { value: null, raw: text };
  }
  return JSON.stringify(value) === text ? { value } : { value, raw: text };
}

/**
 * The stored text of an exported item: its raw text when the export kept one, else its compact
 * JSON (which is what was stored, see {@link readableItem}).
 */
export function storedItemText(value: unknown, raw: string | undefined): string {
  return raw ?? JSON.stringify(value);
}

/** Epoch ms as the export writes times: ISO 8601 in UTC with milliseconds, which round-trips exactly. */
export function isoTime(ms: number): string {
  return new Date(Number.isFinite(ms) ? ms : 0).toISOString();
}

/** An exported time back to epoch ms; also takes a plain number (epoch ms). NaN when it is neither. */
export function parseTime(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value !== 'string') return Number.NaN;
  return Date.parse(value);
}
