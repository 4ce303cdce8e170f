import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { redactText } from './redactUrl.ts';
import { ResponseFailedError } from './responsesApi.ts';
import { connectionKind, isUnknownModel, type RunError } from './runError.ts';

/** What the source knew when the `openai` client failed. */
export interface FailureContext {
  /** The base URL, so its secrets can be cut out of messages that quote it. */
  baseUrl: string;
  /** Some of the answer had already arrived: a failure now is a broken stream. */
  streamStarted: boolean;
}

/** The first `code` (ECONNREFUSED, ENOTFOUND, ...) down an error's cause chain. */
function causeCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The server's own words from an error body, without the client's "404 " status prefix. */
function serverWords(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined;
  return typeof body?.message === 'string' ? body.message : error.message.replace(/^\d{3}\s*/, '');
}

/** The kind of an HTTP failure; `code` and `words` tell a missing model from a wrong path. */
export function statusKind(status: number, code?: unknown, words = ''): RunError['kind'] {
  if (status === 401) return 'auth';
  if (status === 403) return 'forbidden';
  if (isUnknownModel(status, code, words)) return 'unknownModel';
  if (status === 404) return 'notFound';
  if (status === 429) return 'rateLimit';
  return status >= 500 ? 'server' : 'badRequest';
}

/** A RunError without empty or secret details. */
function runError(kind: RunError['kind'], detail: string | undefined, context: FailureContext, status?: number): RunError {
  const error: RunError = { kind };
  if (status !== undefined) error.status = status;
  const safe = detail?.trim() ? redactText(detail.trim(), context.baseUrl) : undefined;
  if (safe) error.detail = safe;
  return error;
}

/** Maps anything the `openai` client can throw to the facts of a RunError. */
export function toRunError(error: unknown, context: FailureContext): RunError {
  if (error instanceof APIConnectionTimeoutError) return runError('timeout', undefined, context);
  if (error instanceof APIError && typeof error.status === 'number') {
    const words = serverWords(error);
    return runError(statusKind(error.status, error.code, words), words, context, error.status);
  }
  if (error instanceof ResponseFailedError) return runError('server', error.message, context);
  // The client throws a SyntaxError for an event whose data is not JSON; the connection itself was fine.
  if (error instanceof SyntaxError) return runError('badEvent', error.message, context);
  if (context.streamStarted) {
    // An error event inside the stream carries the server's words; a broken socket only a code.
    const serverSaid = error instanceof APIError && !(error instanceof APIConnectionError);
    return runError('stream', serverSaid ? serverWords(error) : causeCode(error), context);
  }
  if (error instanceof APIConnectionError) {
    const code = causeCode(error);
    return runError(connectionKind(code), code, context);
  }
  return runError('unknown', error instanceof Error ? error.message : String(error), context);
}
