/**
 * What went wrong with a model request, as facts: the host turns them into words and buttons
 * (core knows no UI).
 */
export interface RunError {
  kind: RunErrorKind;
  /** HTTP status, when the server answered with one. */
  status?: number;
  /**
   * The server's own words, a low-level code (`ECONNREFUSED`, ...) or, for `invalidUrl`, what is
   * wrong with the URL. Never holds the base URL's user name, password or query.
   */
  detail?: string;
}

/**
 * - `auth` 401, `forbidden` 403, `notFound` 404 for the path (the base URL is wrong),
 *   `unknownModel` a 404 (or 400) whose words or code say the model does not exist, `rateLimit`
 *   429, `server` 5xx (or, without a status, a Responses stream that reported `response.failed`),
 *   `badRequest` any other status;
 * - `timeout`: no sign of life within the timeout; `offline`: the host name could not be resolved
 *   or the network is down (ENOTFOUND, EAI_AGAIN, ENETUNREACH, ...); `refused`: the host answered
 *   but nothing listens on the port (ECONNREFUSED); `connection`: any other failure to connect;
 * - `stream`: the connection broke off mid-answer; `badEvent`: the server sent an event that is not
 *   valid JSON;
 * - `invalidUrl`: the base URL cannot be used (no request was sent); `unknown`: anything else;
 * - VS Code's Language Model API (see `lmErrors.ts`): `lmNoConsent` the user has not allowed (or
 *   declined) the use of the model, `lmBlocked` VS Code blocks the requests, `lmNotFound` the model
 *   (or any model) is not available, `lmQuota` the provider's quota or rate limit is used up,
 *   `lmUnavailable` any other failure the provider reported.
 */
export type RunErrorKind =
  | 'auth'
  | 'forbidden'
  | 'notFound'
  | 'unknownModel'
  | 'rateLimit'
  | 'server'
  | 'badRequest'
  | 'timeout'
  | 'offline'
  | 'refused'
  | 'connection'
  | 'stream'
  | 'badEvent'
  | 'invalidUrl'
  | 'lmNoConsent'
  | 'lmBlocked'
  | 'lmNotFound'
  | 'lmQuota'
  | 'lmUnavailable'
  | 'unknown';

/** Thrown by a model source; its message is `detail (status)`, as safe to log as the error itself. */
export class ModelSourceError extends Error {
  readonly runError: RunError;

  constructor(runError: RunError) {
    const status = runError.status === undefined ? '' : ` (${runError.status})`;
    super(`${runError.detail ?? runError.kind}${status}`);
    this.name = 'ModelSourceError';
    this.runError = runError;
  }
}

/** Low-level codes of a DNS failure or a network that is down: nothing says the server is wrong. */
const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'ENETDOWN', 'EHOSTUNREACH', 'EAI_FAIL', 'EAI_NONAME']);

/** The kind of a failure to connect, from its low-level code (`detail` keeps the code). */
export function connectionKind(code: string | undefined): 'offline' | 'refused' | 'connection' {
  if (code === 'ECONNREFUSED') return 'refused';
  return code !== undefined && OFFLINE_CODES.has(code) ? 'offline' : 'connection';
}

/**
 * A 404 or 400 about the model rather than the path: OpenAI's `model_not_found` code, or words such
 * as "The model `x` does not exist" (OpenAI, vLLM) and "model 'x' not found" (Ollama, LM Studio).
 */
export function isUnknownModel(status: number, code: unknown, words: string): boolean {
  if (code === 'model_not_found') return true;
  if (status !== 404 && status !== 400) return false;
  return /\bmodel\b[^.]*\b(does not exist|not found|not exist|unknown|no such)/i.test(words) || /\b(unknown|no such|invalid) model\b/i.test(words);
}
