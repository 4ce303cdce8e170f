import type { Item } from '../session/session.ts';
import type { ToolDefinition } from '../tools/toolDefinitions.ts';
import type { ReportedUsage } from './usage.ts';

/**
 * Where answers come from: an OpenAI-compatible server today (`OpenAiCompatibleSource`), other
 * providers later. The runner sees only this. Failures reject with a `ModelSourceError`, whose
 * `runError` says what went wrong without any secret of the source's configuration.
 */
export interface ModelSource {
  /** Streams one request. On abort it may resolve early or reject: the caller checks the signal. */
  stream(request: ModelRequest): Promise<ModelReply>;
  /** The model ids the source offers, sorted. */
  listModels(signal?: AbortSignal): Promise<string[]>;
  /** The model's context window in tokens, when the source's metadata says; undefined when it does not. */
  contextWindow?(model: string, signal?: AbortSignal): Promise<number | undefined>;
}

/** One streamed request. */
export interface ModelRequest {
  model: string;
  /** Sent the way the source's API takes instructions. */
  systemPrompt?: string;
  /** Items in the stored (Responses) shape, tool calls already paired with their outputs. */
  history: readonly Item[];
  /** Functions the model may call; absent or empty = none is offered. */
  tools?: readonly ToolDefinition[];
  signal: AbortSignal;
  /** Each piece of answer text as it arrives. */
  onDelta(text: string): void;
  /** Every event received, text or not, so an idle timeout can tell a slow stream from a dead one. */
  onEvent?(): void;
}

/** What one request produced, in the stored item shape. */
export interface ModelReply {
  /** Assistant messages, function calls and reasoning, in the order the model produced them. */
  items: Item[];
  /** Tokens as the source reported them for this request; absent (or partly absent) when it did not. */
  usage?: ReportedUsage;
}
