import type { Item } from '../session/session.ts';
import type { TurnTools } from '../tools/turnTools.ts';
import type { ModelSource } from './modelSource.ts';
import type { RunError } from './runError.ts';
import type { TokenUsage } from './usage.ts';

/** Which wire API the server speaks: OpenAI's Responses API, or Chat Completions (most local servers). */
export type WireApi = 'responses' | 'chat-completions';

/** Default for {@link TurnSettings.timeoutMs} and a source's own request timeout. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** How one turn asks the model, as plain values the host reads from its settings. */
export interface TurnSettings {
  model: string;
  /** Sent as `instructions` (Responses) or a leading system message (Chat Completions). */
  systemPrompt?: string;
  /**
   * How many history items are sent before the user's message, like the SDK's
   * `SessionSettings.limit`; undefined or 0 = all.
   */
  historyLimit?: number;
  /** Longest wait for the server's next sign of life, in ms (default {@link DEFAULT_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** Longest answer kept, in characters of text across the turn; past it the answer is cut (default: no cap). */
  maxAnswerChars?: number;
  /** Longest a turn may stream, in ms; past it the answer is cut (default: no cap). */
  maxAnswerMs?: number;
}

/**
 * Everything the host reads for a request: where the server is (for an `OpenAiCompatibleSource`)
 * and how to ask it (for `runTurn`). Either part can be passed where the other is not needed.
 */
export interface ModelSettings extends TurnSettings {
  /** Base URL of the OpenAI-compatible server, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`. */
  baseUrl: string;
  api: WireApi;
  /** Absent for servers that need no key (Ollama, LM Studio); a placeholder is sent instead. */
  apiKey?: string;
}

/** One turn to run. The runner reads and stores nothing: the host does both. */
export interface TurnRequest {
  source: ModelSource;
  /** The stored thread history; it already ends with the user's message (stored when sent). */
  history: Item[];
  settings: TurnSettings;
  /** Stop: aborts the request; the partial answer is kept. */
  signal: AbortSignal;
  /** Streamed assistant text, delta by delta. */
  onDelta(text: string): void;
  /** The workspace tools the model may call; absent = none (calls are told tools are unavailable). */
  tools?: TurnTools;
  /** A round of tool calls has its outputs and the model is asked again. */
  onRound?(): void;
}

/** How a turn ended. `text` is all assistant text streamed during the turn. */
export type TurnResult =
  | {
      status: 'completed' | 'stopped';
      /** What the host stores for the model's side of the turn (the user's item is already stored). */
      items: Item[];
      text: string;
      /** Set when a cap, not the user, stopped the answer: which one. */
      cut?: 'length' | 'time';
      /** Set when the turn ended at the tool round limit: that limit. */
      toolLimit?: number;
      /** Tokens of every request of the turn, as the source reported them (estimated where it did not). */
      usage: TokenUsage;
    }
  | { status: 'failed'; error: RunError; text: string };
