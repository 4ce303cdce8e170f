import { callIdOf } from '../items/itemFields.ts';
import type { Item } from '../session/session.ts';

/**
 * Building and reading stored items. Messages are stored as both Agents SDKs store them. Tool calls
 * and their outputs are stored in the Responses API's own shape (`function_call` and
 * `function_call_output` with `call_id`), the one shape the Python SDK can continue: its
 * `Runner.run` with `SQLiteSession` sends stored items to the Responses API as they are
 * (`run_internal/items.py`, `normalize_input_items_for_api`) and its Chat Completions converter
 * reads `call_id` (`models/chatcmpl_converter.py`). The TS SDK's `run()` stores and reads its own
 * protocol shape instead (`function_call_result` with `callId`: agents-core `items.ts`; its
 * converter in agents-openai throws "Unsupported item" on `function_call_output`), so no one row
 * suits both: `SqliteSession` with `itemShape: 'agents-js'` translates at its boundary (see
 * `session/sdkItemShape.ts`). Every read here accepts both shapes, as rows written by older
 * versions, imports and the TS SDK use the other one.
 */

/** The text told to the model when it calls a tool: the panel registers none. */
export function toolUnavailableText(name: string): string {
  return `The tool '${name}' is not available in Session Chat. Answer without using tools.`;
}

/** The user's message, exactly as the SDK's `run()` stores a string input. */
export function userItem(text: string): Item {
  return { type: 'message', role: 'user', content: text } as Item;
}

/** An assistant message; `incomplete` marks an answer cut short by Stop. */
export function assistantItem(text: string, status: 'completed' | 'incomplete' = 'completed'): Item {
  return { type: 'message', role: 'assistant', status, content: [{ type: 'output_text', text }] } as Item;
}

/** A function call in the TS SDK's protocol shape (`callId`), as imports of other tools' histories build it. */
export function functionCallItem(callId: string, name: string, args: string): Item {
  return { type: 'function_call', callId, name, arguments: args, status: 'completed' } as Item;
}

/** A function call the model made, stored in the Responses API's shape (see the top of this file). */
export function modelCallItem(callId: string, name: string, args: string): Item {
  return { type: 'function_call', call_id: callId, name, arguments: args, status: 'completed' };
}

/** The output of a call, in the Responses API's shape (`output` a string, as both SDKs read it). */
export function callOutputItem(call: Item, output: string): Item {
  return { type: 'function_call_output', call_id: callIdOf(call) ?? '', output };
}

/** The output stored for a function call when tools are off. */
export function unavailableToolOutput(call: Item): Item {
  return callOutputItem(call, toolUnavailableText(typeof call.name === 'string' ? call.name : 'unknown'));
}

export function isFunctionCall(item: Item): boolean {
  return item.type === 'function_call';
}

export function isFunctionOutput(item: Item): boolean {
  return item.type === 'function_call_output' || item.type === 'function_call_result';
}

/**
 * Text of message content as it goes back on the wire: text/refusal parts joined as they are
 * (unlike the panel's `contentText`, no separators or attachment placeholders are invented).
 */
export function wireText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => {
      if (!part || typeof part !== 'object') return '';
      const { text, refusal } = part as Record<string, unknown>;
      return typeof text === 'string' ? text : typeof refusal === 'string' ? refusal : '';
    })
    .join('');
}

/** A function output as a string: outputs may be a string, a `{type:'text'}` part or a list of parts. */
export function functionOutputText(item: Item): string {
  const output = item.output;
  if (typeof output === 'string') return output;
  if (Array.isArray(output)) return wireText(output);
  if (output && typeof output === 'object') return wireText([output]);
  return '';
}

/** The role of a message item, if it is one. */
export function roleOf(item: Item): string | undefined {
  return (item.type === undefined || item.type === 'message') && typeof item.role === 'string' ? item.role : undefined;
}
