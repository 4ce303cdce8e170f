import type OpenAI from 'openai';
import type { ResponseInputItem, ResponseOutputItem, ResponseStreamEvent } from 'openai/resources/responses/responses';
import type { Item } from '../session/session.ts';
import { callIdOf } from '../items/itemFields.ts';
import { assistantItem, functionOutputText, modelCallItem, roleOf, wireText } from './items.ts';
import type { ModelReply, ModelRequest } from './modelSource.ts';
import { usageFromCounts, type ReportedUsage } from './usage.ts';

/** A Responses-API failure reported inside the stream (`response.failed`). */
export class ResponseFailedError extends Error {}

/** SDK-shaped reasoning (`content` of input_text) or raw (`summary`), as the API takes it back. */
function reasoningInput(item: Item): ResponseInputItem | undefined {
  // The API only accepts reasoning it can look up by id (or decrypt); without one it is dropped.
  if (typeof item.id !== 'string') return undefined;
  if (Array.isArray(item.summary)) return item as unknown as ResponseInputItem;
  const providerData = (item.providerData ?? {}) as Record<string, unknown>;
  const encrypted = providerData.encrypted_content ?? providerData.encryptedContent;
  const parts = Array.isArray(item.content) ? item.content : [];
  return {
    type: 'reasoning', id: item.id,
    summary: parts.map((part) => ({ type: 'summary_text' as const, text: wireText([part]) })),
    ...(typeof encrypted === 'string' ? { encrypted_content: encrypted } : {}),
  };
}

function messageInput(item: Item, role: string): ResponseInputItem {
  // The easy-message form carries no ids: the history may come from another server, which would
  // not know them; every Responses server accepts it for assistant turns too.
  return { type: 'message', role: role as 'user' | 'assistant' | 'system' | 'developer', content: wireText(item.content) };
}

/** One stored item as a Responses input item; undefined for items the API cannot take back. */
export function toResponsesInput(item: Item): ResponseInputItem | undefined {
  const role = roleOf(item);
  if (role !== undefined) return messageInput(item, role);
  const callId = callIdOf(item) ?? '';
  switch (item.type) {
    case 'function_call':
      return { type: 'function_call', call_id: callId, name: String(item.name), arguments: String(item.arguments ?? '') };
    case 'function_call_result':
    case 'function_call_output':
      return { type: 'function_call_output', call_id: callId, output: functionOutputText(item) };
    case 'reasoning':
      return reasoningInput(item);
    default:
      // Hosted-tool calls and unknown items cannot be replayed to an arbitrary server.
      return undefined;
  }
}

/** An output item of the model in the stored shape. */
function storedItem(output: ResponseOutputItem): Item | undefined {
  if (output.type === 'message') return assistantItem(wireText(output.content));
  if (output.type === 'function_call') return modelCallItem(output.call_id, output.name, output.arguments);
  if (output.type === 'reasoning') {
    // The SDK's shape: summary parts become `content`, the rest (encrypted content) `providerData`.
    const { summary, ...rest } = output;
    return { type: 'reasoning', id: output.id, content: summary.map((part) => ({ type: 'input_text', text: part.text })), providerData: rest } as Item;
  }
  return undefined;
}

/** The Responses API's usage object (on `response.completed` / `response.incomplete`) in our terms. */
function reportedUsage(usage: unknown): ReportedUsage | undefined {
  if (typeof usage !== 'object' || usage === null) return undefined;
  const fields = usage as { input_tokens?: unknown; output_tokens?: unknown; input_tokens_details?: { cached_tokens?: unknown } | null };
  return usageFromCounts(fields.input_tokens, fields.output_tokens, fields.input_tokens_details?.cached_tokens);
}

function handleEvent(event: ResponseStreamEvent, call: ModelRequest, done: ResponseOutputItem[], reply: { usage?: ReportedUsage }): ResponseOutputItem[] | undefined {
  switch (event.type) {
    case 'response.output_text.delta':
      call.onDelta(event.delta);
      return undefined;
    case 'response.output_item.done':
      done.push(event.item);
      return undefined;
    case 'response.completed':
    case 'response.incomplete': {
      const usage = reportedUsage(event.response.usage);
      if (usage) reply.usage = usage;
      // Servers that skip `output_item.done` still send the final output here.
      return done.length > 0 ? done : event.response.output;
    }
    case 'response.failed':
      throw new ResponseFailedError(event.response.error?.message ?? 'The server failed to produce an answer.');
    default:
      return undefined;
  }
}


/** Streams one request over the Responses API. */
export async function streamResponses(client: OpenAI, call: ModelRequest): Promise<ModelReply> {
  const input = call.history.map(toResponsesInput).filter((item): item is ResponseInputItem => item !== undefined);
  const stream = await client.responses.create(
    {
      model: call.model, input, stream: true,
      ...(call.systemPrompt ? { instructions: call.systemPrompt } : {}),
      ...(call.tools?.length ? { tools: call.tools.map((tool) => ({ type: 'function' as const, name: tool.name, description: tool.description, parameters: tool.parameters, strict: false })) } : {}),
    },
    { signal: call.signal },
  );
  const done: ResponseOutputItem[] = [];
  let output: ResponseOutputItem[] | undefined;
  const reported: { usage?: ReportedUsage } = {};
  for await (const event of stream) {
    call.onEvent?.();
    output = handleEvent(event, call, done, reported) ?? output;
  }
  const items = (output ?? done).map(storedItem).filter((item): item is Item => item !== undefined);
  return reported.usage ? { items, usage: reported.usage } : { items };
}
