import type OpenAI from 'openai';
import type { ChatCompletionAssistantMessageParam, ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import type { Item } from '../session/session.ts';
import { callIdOf } from '../items/itemFields.ts';
import { assistantItem, functionOutputText, modelCallItem, roleOf, wireText } from './items.ts';
import type { ModelReply, ModelRequest } from './modelSource.ts';
import { usageFromCounts, type ReportedUsage } from './usage.ts';

/** Attaches a call to the assistant message just before it, or opens one: Chat wants calls on the message. */
function addToolCall(messages: ChatCompletionMessageParam[], item: Item): void {
  const toolCall = { id: callIdOf(item) ?? '', type: 'function' as const, function: { name: String(item.name), arguments: String(item.arguments ?? '') } };
  const last = messages.at(-1);
  if (last?.role === 'assistant') {
    last.tool_calls = [...(last.tool_calls ?? []), toolCall];
    return;
  }
  const message: ChatCompletionAssistantMessageParam = { role: 'assistant', content: null, tool_calls: [toolCall] };
  messages.push(message);
}

/** Stored items (Responses shape) as Chat Completions messages, after the system prompt. */
export function toChatMessages(history: readonly Item[], systemPrompt: string | undefined): ChatCompletionMessageParam[] {
  const messages: ChatCompletionMessageParam[] = systemPrompt ? [{ role: 'system', content: systemPrompt }] : [];
  for (const item of history) {
    const role = roleOf(item);
    if (role === 'user') messages.push({ role: 'user', content: wireText(item.content) });
    else if (role === 'assistant') messages.push({ role: 'assistant', content: wireText(item.content) });
    else if (role === 'system' || role === 'developer') messages.push({ role: 'system', content: wireText(item.content) });
    else if (item.type === 'function_call') addToolCall(messages, item);
    else if (item.type === 'function_call_result' || item.type === 'function_call_output') {
      messages.push({ role: 'tool', tool_call_id: callIdOf(item) ?? '', content: functionOutputText(item) });
    }
    // Reasoning and hosted-tool items have no Chat Completions form: they are left out.
  }
  return messages;
}

interface PendingCall {
  id: string;
  name: string;
  args: string;
}

/** Chat Completions' usage object (the last chunk's, with `include_usage`) in our terms. */
function reportedUsage(usage: unknown): ReportedUsage | undefined {
  if (typeof usage !== 'object' || usage === null) return undefined;
  const fields = usage as { prompt_tokens?: unknown; completion_tokens?: unknown; prompt_tokens_details?: { cached_tokens?: unknown } | null };
  return usageFromCounts(fields.prompt_tokens, fields.completion_tokens, fields.prompt_tokens_details?.cached_tokens);
}

/**
 * True when a server refused the request because of `stream_options` (older OpenAI-compatible
 * servers validate strictly): the request is then sent again without it, and usage is estimated.
 */
function refusedStreamOptions(error: unknown): boolean {
  const status = (error as { status?: unknown } | null)?.status;
  return (status === 400 || status === 422) && /stream_options|include_usage/i.test(error instanceof Error ? error.message : String(error));
}

/** Streams one request over Chat Completions; tool-call deltas are assembled by index. */
export async function streamChatCompletions(client: OpenAI, call: ModelRequest): Promise<ModelReply> {
  try {
    return await streamWith(client, call, true);
  } catch (error) {
    if (!refusedStreamOptions(error)) throw error;
    return streamWith(client, call, false);
  }
}

async function streamWith(client: OpenAI, call: ModelRequest, askUsage: boolean): Promise<ModelReply> {
  const stream = await client.chat.completions.create(
    {
      model: call.model, messages: toChatMessages(call.history, call.systemPrompt), stream: true,
      // The usage comes in one more chunk at the end (OpenAI, Ollama, LM Studio, vLLM, llama.cpp).
      ...(askUsage ? { stream_options: { include_usage: true } } : {}),
      ...(call.tools?.length ? { tools: call.tools.map((tool) => ({ type: 'function' as const, function: { name: tool.name, description: tool.description, parameters: tool.parameters } })) } : {}),
    },
    { signal: call.signal },
  );
  let text = '';
  const calls: PendingCall[] = [];
  let usage: ReportedUsage | undefined;
  for await (const chunk of stream) {
    call.onEvent?.();
    usage = reportedUsage(chunk.usage) ?? usage;
    const delta = chunk.choices[0]?.delta;
    if (!delta) continue;
    if (delta.content) {
      text += delta.content;
      call.onDelta(delta.content);
    }
    for (const toolDelta of delta.tool_calls ?? []) {
      const pending = (calls[toolDelta.index] ??= { id: '', name: '', args: '' });
      pending.id = toolDelta.id ?? pending.id;
      pending.name += toolDelta.function?.name ?? '';
      pending.args += toolDelta.function?.arguments ?? '';
    }
  }
  const items: Item[] = text ? [assistantItem(text)] : [];
  calls.forEach((pending, index) => items.push(modelCallItem(pending.id || `call_${index}`, pending.name, pending.args)));
  return usage ? { items, usage } : { items };
}
