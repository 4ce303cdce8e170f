import { BASE_URL_PROBLEMS, redactUrl } from '../../core/model/redactUrl.ts';
import { connectionKind, type RunError } from '../../core/model/runError.ts';
import { DEFAULT_TIMEOUT_MS, type WireApi } from '../../core/model/types.ts';
import type { ErrorAction } from '../../shared/protocol.ts';

/** What the request was aimed at, so the words can name it. */
export interface RunErrorContext {
  baseUrl: string;
  model: string;
  api: WireApi;
  hasApiKey: boolean;
  /** The idle timeout the turn ran with (default {@link DEFAULT_TIMEOUT_MS}). */
  timeoutMs?: number;
  /** `vscode`: the request went to a model of VS Code's Language Model API, not to the server at `baseUrl`. */
  modelSource?: 'openai-compatible' | 'vscode';
}

/** A failed request in words a user can act on, with the buttons to act, most useful first. */
export interface RunErrorWords {
  message: string;
  actions: ErrorAction[];
}

/** " (429): the server's words" or " (429)." when it said nothing. */
function said(status: number | undefined, detail: string | undefined): string {
  const code = status === undefined ? '' : ` (${status})`;
  return detail ? `${code}: ${detail}` : `${code}.`;
}

function statusWords(error: RunError, context: RunErrorContext, server: string): RunErrorWords | undefined {
  const { status, detail } = error;
  switch (error.kind) {
    case 'auth':
      return {
        message: context.hasApiKey
          ? `The server at ${server} rejected the API key (${status ?? 401}). Set a valid API key.`
          : `The server at ${server} needs an API key (${status ?? 401}). Set one to continue.`,
        // Without a key the setup card can take one (or point the chat at a server that needs none).
        actions: context.hasApiKey ? ['setApiKey', 'retry'] : ['setApiKey', 'setupModel', 'retry'],
      };
    case 'forbidden':
      return { message: `The server refused access to model '${context.model}'${said(status, detail)} Check the key's permissions or choose another model.`, actions: ['selectModel', 'setApiKey'] };
    case 'unknownModel':
      return { message: `Model '${context.model}' was not found on the server (${status ?? 404}). Choose another model.`, actions: ['selectModel'] };
    case 'notFound': {
      // A 404 that is not about the model: the path is wrong (no /v1, or the wire API is not spoken there).
      const hint = context.api === 'responses' ? ' If this server only speaks Chat Completions, switch the wire API in settings.' : '';
      return { message: `The server at ${server} has nothing at this address (${status ?? 404}). Check the base URL (most servers end in /v1).${hint}`, actions: ['setupModel', 'openSettings'] };
    }
    case 'rateLimit':
      return { message: `The server is limiting requests${said(status, detail)} Wait a moment, then retry.`, actions: ['retry'] };
    case 'server':
      return status === undefined
        ? { message: `The server could not finish the answer${detail ? `: ${detail}` : '.'}`, actions: ['retry'] }
        : { message: `The server at ${server} had an internal error (${status}). Retry in a moment.`, actions: ['retry'] };
    case 'badRequest':
      return { message: `The server rejected the request${said(status, detail)}`, actions: ['openSettings', 'retry'] };
    default:
      return undefined;
  }
}

function connectionWords(error: RunError, server: string): RunErrorWords {
  const { detail } = error;
  // Older errors (and other sources) may carry only the code under `connection`.
  const kind = error.kind === 'connection' ? connectionKind(detail) : error.kind;
  if (kind === 'refused') return { message: `The server at ${server} refused the connection. Is it running?`, actions: ['retry', 'setupModel'] };
  if (kind === 'offline') {
    return { message: `The host in ${server} could not be found (${detail ?? 'no network'}). Check your network connection, or the base URL if this keeps happening.`, actions: ['retry', 'setupModel'] };
  }
  return { message: `Could not reach the server at ${server}${detail ? ` (${detail})` : ''}. Check the base URL and your network.`, actions: ['retry', 'openSettings'] };
}

function invalidUrlWords(detail: string | undefined): RunErrorWords {
  const problem = detail ?? 'it is not an http(s) URL';
  if (detail === BASE_URL_PROBLEMS.credentials) {
    return { message: `The base URL in settings cannot be used: ${problem}. Remove them from the URL and put the API key in Set API Key instead.`, actions: ['openSettings', 'setApiKey'] };
  }
  return { message: `The base URL in settings cannot be used: ${problem}. It should look like https://api.openai.com/v1.`, actions: ['setupModel', 'openSettings'] };
}

/** A failure of VS Code's Language Model API (see `lmErrors.ts`), or of any request to a VS Code model. */
function languageModelWords(error: RunError, context: RunErrorContext): RunErrorWords | undefined {
  const model = `the VS Code model '${context.model}'`;
  const { detail } = error;
  switch (error.kind) {
    case 'lmNoConsent':
      // The consent dialog comes with a request the user started: Retry is that action.
      return { message: `Session Chat is not allowed to use ${model}. Retry and allow it when VS Code asks, or choose another model.`, actions: ['retry', 'selectModel'] };
    case 'lmBlocked':
      return { message: `VS Code is blocking Session Chat's requests to ${model}${detail ? ` (${detail})` : ''}. Wait a moment and retry, or choose another model.`, actions: ['retry', 'selectModel'] };
    case 'lmNotFound':
      return { message: `${capital(model)} is not available${detail ? ` (${detail})` : ''}. The extension that provides it may be disabled or signed out. Choose another model.`, actions: ['selectModel', 'setupModel'] };
    case 'lmQuota':
      return { message: `The provider of ${model} says its quota or rate limit is used up${detail ? `: ${detail}` : '.'} Wait, then retry, or choose another model.`, actions: ['retry', 'selectModel'] };
    case 'lmUnavailable':
      return { message: `${capital(model)} could not answer${detail ? `: ${detail}` : '.'}`, actions: ['retry', 'selectModel'] };
    default:
      break;
  }
  if (context.modelSource !== 'vscode') return undefined;
  // Kinds the runner itself reports (its idle timeout, a broken stream) or anything else: no server to name.
  if (error.kind === 'timeout') {
    const seconds = Number(((context.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000).toFixed(1));
    return { message: `${capital(model)} did not answer within ${seconds} s. Retry, or choose another model.`, actions: ['retry', 'selectModel'] };
  }
  return { message: `The request to ${model} failed${detail ? `: ${detail}` : '.'}`, actions: ['retry', 'selectModel'] };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The words and buttons for a failed request. Every URL shown is redacted (origin and path only),
 * whatever the user put in the base URL.
 */
export function describeRunError(error: RunError, context: RunErrorContext): RunErrorWords {
  const byLanguageModel = languageModelWords(error, context);
  if (byLanguageModel) return byLanguageModel;
  const server = redactUrl(context.baseUrl);
  const byStatus = statusWords(error, context, server);
  if (byStatus) return byStatus;
  const { detail } = error;
  switch (error.kind) {
    case 'timeout': {
      const seconds = Number(((context.timeoutMs ?? DEFAULT_TIMEOUT_MS) / 1000).toFixed(1));
      return { message: `The server at ${server} did not answer within ${seconds} s. Retry; if it keeps happening, check that the server is running and the base URL is right.`, actions: ['retry', 'openSettings'] };
    }
    case 'offline':
    case 'refused':
    case 'connection':
      return connectionWords(error, server);
    case 'stream':
      return { message: `The connection to the server broke off in the middle of the answer${detail ? ` (${detail})` : ''}. Retry to ask again.`, actions: ['retry'] };
    case 'badEvent': {
      const wire = context.api === 'responses' ? 'Responses' : 'Chat Completions';
      return { message: `The server at ${server} sent an invalid event in the middle of the answer. Retry; if it keeps happening, check that the server speaks the ${wire} API chosen in settings.`, actions: ['retry', 'openSettings'] };
    }
    case 'invalidUrl':
      return invalidUrlWords(detail);
    default:
      return { message: `The request failed${detail ? `: ${detail}` : '.'}`, actions: ['retry', 'openSettings'] };
  }
}
