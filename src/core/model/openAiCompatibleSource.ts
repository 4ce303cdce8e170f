import OpenAI from 'openai';
import { streamChatCompletions } from './chatCompletionsApi.ts';
import type { ModelReply, ModelRequest, ModelSource } from './modelSource.ts';
import { toRunError } from './openAiErrors.ts';
import { baseUrlProblem } from './redactUrl.ts';
import { streamResponses } from './responsesApi.ts';
import { ModelSourceError } from './runError.ts';
import { DEFAULT_TIMEOUT_MS, type WireApi } from './types.ts';

/** Where an OpenAI-compatible server is and how to talk to it. */
export interface OpenAiCompatibleOptions {
  /** e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`; a query (Azure's `api-version`) is kept. */
  baseUrl: string;
  /** Absent for servers that need no key (Ollama, LM Studio); a placeholder is sent instead. */
  apiKey?: string;
  api: WireApi;
  /** Longest wait for a response to start, in ms (default {@link DEFAULT_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/** Sent as the key to servers that need none: the client insists on one, and Ollama or LM Studio ignore it. */
export const PLACEHOLDER_API_KEY = 'no-key';

/** Longest wait for the model list: a picker that hangs is worse than typing the name. */
const LIST_TIMEOUT_MS = 10_000;
/** Servers such as OpenRouter list hundreds of models; more than this is not pickable anyway. */
const MAX_MODELS = 2000;

/**
 * An OpenAI-compatible server (OpenAI, Azure, Ollama, LM Studio, vLLM, OpenRouter) through the
 * `openai` client, over the Responses or the Chat Completions wire API; items come back in the
 * Responses shape either way.
 */
export class OpenAiCompatibleSource implements ModelSource {
  readonly #options: OpenAiCompatibleOptions;
  #client: OpenAI | undefined;

  constructor(options: OpenAiCompatibleOptions) {
    this.#options = { ...options };
  }

  async stream(request: ModelRequest): Promise<ModelReply> {
    const client = this.#usableClient();
    let streamStarted = false;
    const call: ModelRequest = {
      ...request,
      onEvent: () => {
        streamStarted = true;
        request.onEvent?.();
      },
    };
    const stream = this.#options.api === 'chat-completions' ? streamChatCompletions : streamResponses;
    try {
      return await stream(client, call);
    } catch (error) {
      throw new ModelSourceError(toRunError(error, { baseUrl: this.#options.baseUrl, streamStarted }));
    }
  }

  /** The model ids the server offers (`GET {baseUrl}/models`), sorted. */
  async listModels(signal?: AbortSignal): Promise<string[]> {
    const client = this.#usableClient();
    const ids = new Set<string>();
    try {
      for await (const model of client.models.list({ signal, timeout: LIST_TIMEOUT_MS })) {
        ids.add(model.id);
        if (ids.size >= MAX_MODELS) break;
      }
    } catch (error) {
      throw new ModelSourceError(toRunError(error, { baseUrl: this.#options.baseUrl, streamStarted: false }));
    }
    return [...ids].sort((a, b) => a.localeCompare(b));
  }

  /**
   * The model's context window as the server's `/models` entry tells it: OpenRouter and others say
   * `context_length`, vLLM `max_model_len`, LM Studio `max_context_length`; OpenAI says nothing.
   */
  async contextWindow(model: string, signal?: AbortSignal): Promise<number | undefined> {
    const client = this.#usableClient();
    try {
      for await (const entry of client.models.list({ signal, timeout: LIST_TIMEOUT_MS })) {
        if (entry.id !== model) continue;
        const fields = entry as unknown as Record<string, unknown>;
        for (const key of ['context_length', 'context_window', 'max_context_length', 'max_model_len', 'loaded_context_length']) {
          const value = fields[key];
          if (typeof value === 'number' && Number.isFinite(value) && value > 0) return Math.floor(value);
        }
        return undefined;
      }
    } catch {
      // Not knowing the window is not an error: the meter assumes one and says so.
    }
    return undefined;
  }

  /** The client, once the base URL is known to be usable; otherwise fails before any request. */
  #usableClient(): OpenAI {
    const problem = baseUrlProblem(this.#options.baseUrl);
    if (problem) throw new ModelSourceError({ kind: 'invalidUrl', detail: problem });
    this.#client ??= new OpenAI({
      baseURL: this.#options.baseUrl,
      apiKey: this.#options.apiKey || PLACEHOLDER_API_KEY,
      // Retries are the user's choice (the Retry button), never automatic.
      maxRetries: 0,
      timeout: this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      organization: null,
      project: null,
      // Failures reach the user as RunErrors; the client's console lines would only repeat them.
      logLevel: 'off',
    });
    return this.#client;
  }
}
