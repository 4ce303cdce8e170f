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
 * `undefined` so readers can skip them instead of failing the whole history.
 */
export function parseItem(data: string): Item | undefined {
  try {
    const value: unknown = JSON.parse(data);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Item) : undefined;
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
