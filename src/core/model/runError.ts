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
 * - `auth` 401, `forbidden` 403, `notFound` 404, `rateLimit` 429, `server` 5xx (or, without a
 *   status, a Responses stream that reported `response.failed`), `badRequest` any other status;
 * - `timeout`: no sign of life within the timeout; `connection`: the server could not be reached;
 * - `stream`: the connection broke off mid-answer; `badEvent`: the server sent an event that is not
 *   valid JSON;
 * - `invalidUrl`: the base URL cannot be used (no request was sent); `unknown`: anything else.
 */
export type RunErrorKind =
  | 'auth'
  | 'forbidden'
  | 'notFound'
  | 'rateLimit'
  | 'server'
  | 'badRequest'
  | 'timeout'
  | 'connection'
  | 'stream'
  | 'badEvent'
  | 'invalidUrl'
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
