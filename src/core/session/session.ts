import { randomUUID } from 'node:crypto';

/**
 * One conversation history item: a Responses-API input item (user/assistant message,
 * `function_call`, `function_call_output`, `reasoning`, ...) as a plain JSON object, one per row.
 * Deliberately looser than the SDK's `AgentInputItem` union: rows may come from any writer of
 * the shared file (the Python SDK stores `function_call_output` with `call_id`, the JS SDK
 * `function_call_result` with `callId`), so readers check fields rather than trust a union.
 * A script that hands a session to the SDK's `run()` names the SDK's item type instead:
 * `new SqliteSession<AgentInputItem>('user_123', 'conversations.db')` (see {@link Session}).
 */
export type Item = Record<string, unknown>;

/**
 * The OpenAI Agents SDK's session contract (`Session` in `@openai/agents-core`), so any
 * implementation here can be passed as the `session` option of `run()`. `T` is the item type the
 * caller works with: the loose {@link Item} by default, the SDK's `AgentInputItem` in a script
 * that passes the session to `run()`. Rows are stored as the JSON they were given either way.
 */
export interface Session<T extends object = Item> {
  /** The identifier this history is stored under. */
  getSessionId(): Promise<string>;
  /** The latest `limit` items, oldest first; all items without a limit; `[]` when `limit <= 0`. */
  getItems(limit?: number): Promise<T[]>;
  /** Appends items in one transaction; an empty list does nothing. */
  addItems(items: T[]): Promise<void>;
  /** Removes and returns the newest item; `undefined` when the history is empty. */
  popItem(): Promise<T | undefined>;
  /** Removes every item of this session. */
  clearSession(): Promise<void>;
}

/**
 * Parses one stored row. Rows that are not a JSON object (corrupt, hand-edited, truncated) give
 * `undefined` so readers can skip them instead of failing the whole history. Rows with the bare
 * tokens `NaN`, `Infinity` and `-Infinity` (what Python's `json.dumps` writes for such floats,
 * so the Python SDK stores them) read as those JavaScript numbers, as Python reads them back.
 */
export function parseItem(data: string): Item | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    value = parsePythonJson(data);
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Item) : undefined;
}

const NON_FINITE = [
  ['-Infinity', -Infinity],
  ['Infinity', Infinity],
  ['NaN', NaN],
] as const;

/**
 * JSON as Python's `json.loads` accepts it: standard JSON plus `NaN`, `Infinity` and `-Infinity`
 * as values. A scan outside strings (tracking quotes and escapes) replaces each such token by a
 * string placeholder with a per-call random tag, and the reviver turns the placeholders back into
 * numbers; the text inside strings is never touched. `undefined` when it still does not parse.
 * Only the failure path of {@link parseItem} pays for this.
 */
function parsePythonJson(data: string): unknown {
  if (!/NaN|Infinity/.test(data)) return undefined;
  const tag = `session-chat-non-finite:${randomUUID()}:`;
  let out = '';
  let from = 0;
  let inString = false;
  for (let i = 0; i < data.length; i++) {
    const c = data[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      continue;
    }
    const token = NON_FINITE.find(([text]) => data.startsWith(text, i));
    if (!token) continue;
    // Part of a longer word (`NaNa`) or of a number (`-NaN`) is left for JSON.parse to reject, as Python does.
    out += `${data.slice(from, i)}"${tag}${token[0]}"`;
    i += token[0].length - 1;
    from = i + 1;
  }
  if (from === 0) return undefined;
  out += data.slice(from);
  const numbers = new Map<string, number>(NON_FINITE.map(([text, number]) => [tag + text, number]));
  try {
    return JSON.parse(out, (_key, value: unknown) => (typeof value === 'string' && numbers.has(value) ? numbers.get(value) : value));
  } catch {
    return undefined;
  }
}

/** Parses rows oldest first, skipping the ones {@link parseItem} rejects. */
export function parseItems(rows: readonly string[]): Item[] {
  const items: Item[] = [];
  for (const row of rows) {
    const item = parseItem(row);
    if (item) items.push(item);
  }
  return items;
}
