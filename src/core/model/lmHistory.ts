import { callIdOf } from '../items/itemFields.ts';
import type { Item } from '../session/session.ts';
import { functionOutputText, roleOf, wireText } from './items.ts';

/**
 * Stored items (Responses shape, or the TS SDK's) as the messages of VS Code's Language Model API,
 * still without `vscode` (the host builds `LanguageModelChatMessage`s from these one to one), so
 * the conversion is tested on Node.
 */

/** One part of a Language Model API message. */
export type LmPart =
  | { type: 'text'; text: string }
  /** A call the model made: sent back as a `LanguageModelToolCallPart` in an assistant message. */
  | { type: 'toolCall'; callId: string; name: string; input: object }
  /** A call's output: sent as a `LanguageModelToolResultPart` in a user message. */
  | { type: 'toolResult'; callId: string; text: string };

/** A Language Model API message: the API knows only these two roles (no system role). */
export interface LmMessage {
  role: 'user' | 'assistant';
  parts: LmPart[];
}

/** The line that opens the instructions message; the test provider and people reading a log recognise it. */
export const INSTRUCTIONS_OPEN = '<instructions>';
export const INSTRUCTIONS_CLOSE = '</instructions>';

/**
 * The system prompt as the text of a user message. The Language Model API has no system role
 * (`LanguageModelChatMessageRole` is User or Assistant; System is a proposed API extensions may not
 * use), so the instructions go first, as a user message, clearly delimited and said to be
 * instructions rather than something the user wrote.
 */
export function instructionsText(systemPrompt: string): string {
  return `${INSTRUCTIONS_OPEN}\nInstructions for this whole conversation (in place of a system prompt):\n${systemPrompt}\n${INSTRUCTIONS_CLOSE}`;
}

/** A call's stored arguments (a JSON string) as the object the API wants; anything unreadable becomes `{}`. */
function callInput(args: unknown): object {
  if (typeof args !== 'string' || args.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

function isOnly(message: LmMessage | undefined, type: LmPart['type']): message is LmMessage {
  return message !== undefined && message.parts.length > 0 && message.parts.every((part) => part.type === type);
}

/**
 * The history as Language Model API messages, after the instructions (if any):
 * - user and assistant messages keep their text; system or developer messages in the history
 *   become delimited user messages like the system prompt;
 * - a function call joins the assistant message just before it (or opens one), its output a user
 *   message holding only outputs (VS Code wants results right after the assistant's calls);
 * - reasoning and hosted-tool items have no form here: they are left out, as are empty messages.
 */
export function toLmMessages(history: readonly Item[], systemPrompt: string | undefined): LmMessage[] {
  const messages: LmMessage[] = [];
  if (systemPrompt?.trim()) messages.push({ role: 'user', parts: [{ type: 'text', text: instructionsText(systemPrompt) }] });
  for (const item of history) {
    const role = roleOf(item);
    if (role === 'user' || role === 'assistant') {
      const text = wireText(item.content);
      if (text !== '') messages.push({ role, parts: [{ type: 'text', text }] });
    } else if (role === 'system' || role === 'developer') {
      const text = wireText(item.content);
      if (text !== '') messages.push({ role: 'user', parts: [{ type: 'text', text: instructionsText(text) }] });
    } else if (item.type === 'function_call') {
      const part: LmPart = { type: 'toolCall', callId: callIdOf(item) ?? '', name: String(item.name ?? ''), input: callInput(item.arguments) };
      const last = messages.at(-1);
      if (last?.role === 'assistant') last.parts.push(part);
      else messages.push({ role: 'assistant', parts: [part] });
    } else if (item.type === 'function_call_output' || item.type === 'function_call_result') {
      const part: LmPart = { type: 'toolResult', callId: callIdOf(item) ?? '', text: functionOutputText(item) };
      const last = messages.at(-1);
      if (last?.role === 'user' && isOnly(last, 'toolResult')) last.parts.push(part);
      else messages.push({ role: 'user', parts: [part] });
    }
  }
  return messages;
}

/** All text of a message, for counting its tokens. */
export function lmMessageText(message: LmMessage): string {
  return message.parts.map((part) => (part.type === 'toolCall' ? `${part.name} ${JSON.stringify(part.input)}` : part.text)).join('\n');
}
