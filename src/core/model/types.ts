import type { ErrorAction } from '../../shared/protocol.ts';
import type { Item, Session } from '../session/session.ts';

/** Which wire API the server speaks: OpenAI's Responses API, or Chat Completions (most local servers). */
export type WireApi = 'responses' | 'chat-completions';

/** Model settings as plain values; the host reads them from VS Code settings and SecretStorage. */
export interface ModelSettings {
  /** Base URL of the OpenAI-compatible server, e.g. `https://api.openai.com/v1` or `http://localhost:11434/v1`. */
  baseUrl: string;
  model: string;
  api: WireApi;
  /** Absent for servers that need no key (Ollama, LM Studio); a placeholder is sent instead. */
  apiKey?: string;
  /** Sent as `instructions` (Responses) or a leading system message (Chat Completions). */
  systemPrompt?: string;
  /** How many history items are sent before the new user message, like the SDK's `SessionSettings.limit`; undefined or 0 = all. */
  historyLimit?: number;
  /** Longest wait for the server's next sign of life, in ms (default {@link DEFAULT_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/** Default for {@link ModelSettings.timeoutMs}. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** One turn to run. */
export interface TurnRequest {
  session: Session;
  /** The user's new message; absent = Retry: the stored history already ends with it, so it is not stored again. */
  userText?: string;
  settings: ModelSettings;
  /** Stop: aborts the request; the partial answer is kept. */
  signal: AbortSignal;
  /** Streamed assistant text, delta by delta. */
  onDelta(text: string): void;
}

/** How a turn ended. `text` is all assistant text streamed during the turn. */
export type TurnResult =
  | {
      status: 'completed' | 'stopped';
      /** What was stored for the model's side of the turn (the user's item is not included). */
      items: Item[];
      text: string;
    }
  | { status: 'failed'; error: RunError; text: string };

/** A failed request, in words a user can act on. */
export interface RunError {
  kind: 'auth' | 'forbidden' | 'notFound' | 'rateLimit' | 'server' | 'timeout' | 'connection' | 'stream' | 'badRequest' | 'unknown';
  /** A sentence the panel shows as is, e.g. "Model 'x' was not found on the server (404). Choose another model." */
  message: string;
  /** HTTP status, when the server answered with one. */
  status?: number;
  /** Buttons to offer, most useful first. */
  actions: ErrorAction[];
}

/** What one model request produced, in the stored item shape. */
export interface ModelReply {
  /** Assistant messages, function calls and reasoning, in the order the model produced them. */
  items: Item[];
}

/** Everything a wire API needs for one streamed request. */
export interface ModelCall {
  settings: ModelSettings;
  /** History to send, already trimmed of orphans; converted to the wire shape by the API module. */
  history: Item[];
  signal: AbortSignal;
  /** Called for each streamed text delta. */
  onDelta(text: string): void;
  /** Called for every event received, so an idle timeout can tell a slow stream from a dead one. */
  onEvent(): void;
}
