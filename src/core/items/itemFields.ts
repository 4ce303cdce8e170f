/**
 * Reading loosely-typed history items, shared by the store, the runner and the view. Items come
 * from the database as parsed JSON in either the Responses API shape (`call_id`,
 * `function_call_output`, `summary`) or the Agents SDK's TypeScript shape (`callId`,
 * `function_call_result`, `content`), written by any writer of the shared file, so every read is
 * defensive.
 */

/** A history item seen as a plain JSON object. */
export type LooseItem = Readonly<Record<string, unknown>>;

/** Returns the item as an object, or undefined for anything that is not a JSON object. */
export function asObject(value: unknown): LooseItem | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as LooseItem) : undefined;
}

/** Returns a string field, or undefined. */
export function stringField(item: LooseItem, key: string): string | undefined {
  const value = item[key];
  return typeof value === 'string' ? value : undefined;
}

/** True when the item is a user message (`role: 'user'`, with or without `type: 'message'`): each one starts a turn. */
export function isUserMessage(item: unknown): boolean {
  const object = asObject(item);
  return object !== undefined && object.role === 'user' && (object.type === undefined || object.type === 'message');
}

/** The id that links a function call to its output, in either naming. */
export function callIdOf(item: LooseItem): string | undefined {
  return stringField(item, 'call_id') ?? stringField(item, 'callId');
}

/**
 * The text of a message's content for people to read: a plain string, or the text-bearing parts
 * (text, refusal) one per line, with `[image]` / `[file]` standing in for attachments.
 */
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
