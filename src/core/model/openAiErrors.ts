import { APIConnectionError, APIConnectionTimeoutError, APIError } from 'openai';
import { ResponseFailedError } from './responsesApi.ts';
import { DEFAULT_TIMEOUT_MS, type ModelSettings, type RunError } from './types.ts';

/** What the runner knew when the request failed. */
export interface FailureContext {
  settings: ModelSettings;
  /** The idle timeout fired (our own watchdog, not the user's Stop). */
  timedOut: boolean;
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

function statusError(error: APIError, status: number, settings: ModelSettings): RunError {
  const server = settings.baseUrl;
  if (status === 401) {
    const message = settings.apiKey
      ? `The server at ${server} rejected the API key (401). Set a valid API key.`
      : `The server at ${server} needs an API key (401). Set one to continue.`;
    return { kind: 'auth', status, message, actions: ['setApiKey', 'retry'] };
  }
  if (status === 403) {
    return { kind: 'forbidden', status, message: `The server refused access to model '${settings.model}' (403): ${serverWords(error)} Check the key's permissions or choose another model.`, actions: ['selectModel', 'setApiKey'] };
  }
  if (status === 404) {
    const hint = settings.api === 'responses' ? ' If this server only speaks Chat Completions, switch the wire API in settings.' : '';
    return { kind: 'notFound', status, message: `Model '${settings.model}' was not found on the server (404). Choose another model.${hint}`, actions: ['selectModel', 'openSettings'] };
  }
  if (status === 429) {
    return { kind: 'rateLimit', status, message: `The server is limiting requests (429): ${serverWords(error)} Wait a moment, then retry.`, actions: ['retry'] };
  }
  if (status >= 500) {
    return { kind: 'server', status, message: `The server at ${server} had an internal error (${status}). Retry in a moment.`, actions: ['retry'] };
  }
  return { kind: 'badRequest', status, message: `The server rejected the request (${status}): ${serverWords(error)}`, actions: ['openSettings', 'retry'] };
}

function connectionError(error: unknown, settings: ModelSettings): RunError {
  const code = causeCode(error);
  const server = settings.baseUrl;
  if (code === 'ECONNREFUSED') return { kind: 'connection', message: `The server at ${server} refused the connection. Is it running?`, actions: ['retry', 'openSettings'] };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { kind: 'connection', message: `The host in ${server} could not be found. Check the base URL in settings.`, actions: ['openSettings', 'retry'] };
  return { kind: 'connection', message: `Could not reach the server at ${server}${code ? ` (${code})` : ''}. Check the base URL and your network.`, actions: ['retry', 'openSettings'] };
}

/** Maps anything a request can throw to words and buttons for the panel. */
export function toRunError(error: unknown, context: FailureContext): RunError {
  const { settings } = context;
  if (context.timedOut || error instanceof APIConnectionTimeoutError) {
    const seconds = Number(((settings.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000).toFixed(1));
    return { kind: 'timeout', message: `The server at ${settings.baseUrl} did not answer within ${seconds} s. Retry, or raise the timeout in settings.`, actions: ['retry', 'openSettings'] };
  }
  if (error instanceof APIError && typeof error.status === 'number') return statusError(error, error.status, settings);
  if (error instanceof ResponseFailedError) {
    return { kind: 'server', message: `The server could not finish the answer: ${error.message}`, actions: ['retry'] };
  }
  if (context.streamStarted) {
    const detail = error instanceof APIError ? ` (${serverWords(error)}).` : '.';
    return { kind: 'stream', message: `The connection to the server broke off in the middle of the answer${detail} Retry to ask again.`, actions: ['retry'] };
  }
  if (error instanceof APIConnectionError) return connectionError(error, settings);
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'unknown', message: `The request failed: ${message}`, actions: ['retry', 'openSettings'] };
}
