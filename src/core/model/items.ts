import { callIdOf } from '../items/itemFields.ts';
import type { Item } from '../session/session.ts';

/**
 * Building and reading stored items. Items are stored in the shape the Agents SDK's `run()` stores
 * (`@openai/agents-core` protocol: `callId`, `function_call_result`), so a history written here
 * reads back in the SDK; reads accept the raw Responses API shape too (`call_id`,
 * `function_call_output`), as written by the Python SDK or older rows.
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

/** A function call the model made. */
export function functionCallItem(callId: string, name: string, args: string): Item {
  return { type: 'function_call', callId, name, arguments: args, status: 'completed' } as Item;
}

/** The output stored for a function call the panel cannot run. */
export function unavailableToolOutput(call: Item): Item {
  const name = typeof call.name === 'string' ? call.name : 'unknown';
  return { type: 'function_call_result', callId: callIdOf(call), name, status: 'completed', output: { type: 'text', text: toolUnavailableText(name) } } as Item;
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
