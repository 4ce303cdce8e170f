import { callIdOf, stringField } from '../items/itemFields.ts';
import { functionOutputText } from '../model/items.ts';
import type { Item } from './session.ts';

/**
 * The two Agents SDKs store tool items differently, and each reads only its own shape:
 *
 * - Python (`openai-agents`): `Runner.run` with `SQLiteSession` stores Responses API items and
 *   sends them back as they are: `function_call` / `function_call_output` with `call_id`.
 * - TypeScript (`@openai/agents`): `run()` stores its protocol items (agents-core `items.ts`):
 *   `function_call` / `function_call_result` with `callId`, and its Responses converter throws
 *   "Unsupported item" on a `function_call_output`.
 *
 * Rows are kept in the Python (= wire) shape, which Session Chat itself writes; a TypeScript script
 * opens the file with `new SqliteSession(id, file, { itemShape: 'agents-js' })`, which hands
 * `run()` its own shape and stores what `run()` adds in the Python shape, so either SDK can go on
 * with a thread that used tools. Messages and reasoning are the same in both and pass untouched.
 */
export type ItemShape = 'stored' | 'agents-js';

/** A stored row as the TS SDK's `run()` reads it. `names` gives each call id its function name (outputs need one there). */
export function toAgentsJsItem(item: Item, names: ReadonlyMap<string, string>): Item {
  const callId = callIdOf(item);
  if (item.type === 'function_call' && callId !== undefined && item.callId === undefined) {
    const rest: Item = { ...item };
    delete rest.call_id;
    return { ...rest, callId };
  }
  if (item.type === 'function_call_output' && callId !== undefined) {
    const output = item.output;
    return {
      type: 'function_call_result',
      ...(typeof item.id === 'string' ? { id: item.id } : {}),
      callId,
      name: names.get(callId) ?? '',
      status: typeof item.status === 'string' ? item.status : 'completed',
      output: typeof output === 'string' ? { type: 'text', text: output } : output,
    };
  }
  return item;
}

/** Every stored row of a history in the TS SDK's shape. */
export function toAgentsJsItems(items: readonly Item[]): Item[] {
  const names = new Map<string, string>();
  for (const item of items) {
    const callId = callIdOf(item);
    const name = stringField(item, 'name');
    if (item.type === 'function_call' && callId !== undefined && name !== undefined) names.set(callId, name);
  }
  return items.map((item) => toAgentsJsItem(item, names));
}

/** An item the TS SDK's `run()` adds, as it is stored: tool items in the Responses API's shape. */
export function toStoredItem(item: Item): Item {
  const callId = callIdOf(item);
  if (item.type === 'function_call' && callId !== undefined && item.call_id === undefined) {
    const rest: Item = { ...item };
    delete rest.callId;
    delete rest.providerData;
    return { ...rest, call_id: callId };
  }
  if (item.type === 'function_call_result' && callId !== undefined) {
    return { type: 'function_call_output', ...(typeof item.id === 'string' ? { id: item.id } : {}), call_id: callId, output: functionOutputText(item) };
  }
  return item;
}
