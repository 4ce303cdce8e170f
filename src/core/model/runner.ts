import OpenAI from 'openai';
import type { Item } from '../session/session.ts';
import { streamChatCompletions } from './chatCompletionsApi.ts';
import { toRunError } from './errors.ts';
import { pairToolItems, readHistory } from './history.ts';
import { assistantItem, isFunctionCall, unavailableToolOutput, userItem } from './items.ts';
import { streamResponses } from './responsesApi.ts';
import { DEFAULT_TIMEOUT_MS, type ModelReply, type ModelSettings, type TurnRequest, type TurnResult } from './types.ts';
import { IdleWatchdog } from './watchdog.ts';

/** How many times a model that keeps calling (unavailable) tools is asked again within one turn. */
export const MAX_TOOL_ROUNDS = 3;

/** Sent as the key to servers that need none: the client insists on one, and Ollama or LM Studio ignore it. */
export const PLACEHOLDER_API_KEY = 'no-key';

/** An `openai` client for the settings. Retries are the user's choice (the Retry button), never automatic. */
export function createClient(settings: ModelSettings): OpenAI {
  return new OpenAI({
    baseURL: settings.baseUrl,
    apiKey: settings.apiKey || PLACEHOLDER_API_KEY,
    maxRetries: 0,
    timeout: settings.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    organization: null,
    project: null,
  });
}

/** Progress of a turn, kept outside the try so Stop and failures can see how far it got. */
interface TurnState {
  /** Complete rounds only: each call is followed by its output, so none is ever left alone. */
  items: Item[];
  text: string;
  roundText: string;
  streamStarted: boolean;
}

async function runRounds(request: TurnRequest, client: OpenAI, history: Item[], watchdog: IdleWatchdog, state: TurnState): Promise<void> {
  const stream = request.settings.api === 'chat-completions' ? streamChatCompletions : streamResponses;
  for (let round = 0; round <= MAX_TOOL_ROUNDS; round++) {
    state.roundText = '';
    const reply: ModelReply = await stream(client, {
      settings: request.settings,
      history: pairToolItems([...history, ...state.items]),
      signal: watchdog.signal,
      onEvent: () => {
        state.streamStarted = true;
        watchdog.touch();
      },
      onDelta: (delta) => {
        state.roundText += delta;
        state.text += delta;
        request.onDelta(delta);
      },
    });
    // The client ends an aborted stream quietly instead of throwing: what arrived is only partial.
    if (watchdog.signal.aborted) throw new Error('The request was aborted.');
    const calls = reply.items.filter(isFunctionCall);
    state.items.push(...reply.items, ...calls.map(unavailableToolOutput));
    state.roundText = '';
    // No tools run here: the model is told so and asked again, until it answers in words.
    if (calls.length === 0) return;
  }
}

/**
 * Runs one turn: stores the user's message (unless retrying), streams the answer, and stores the
 * model's items when the turn completes. Stop stores the partial answer as an `incomplete`
 * assistant message. A failure stores nothing from the model (not even text that streamed before
 * a broken connection): the history ends with the user's message, ready for Retry.
 */
export async function runTurn(request: TurnRequest): Promise<TurnResult> {
  const { session, settings } = request;
  const retry = request.userText === undefined;
  const history = await readHistory(session, settings.historyLimit, retry);
  if (request.userText !== undefined) {
    const user = userItem(request.userText);
    await session.addItems([user]);
    history.push(user);
  }
  const state: TurnState = { items: [], text: '', roundText: '', streamStarted: false };
  const watchdog = new IdleWatchdog(request.signal, settings.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    await runRounds(request, createClient(settings), history, watchdog, state);
    await session.addItems(state.items);
    return { status: 'completed', items: state.items, text: state.text };
  } catch (error) {
    if (request.signal.aborted && !watchdog.timedOut) {
      const items = state.roundText ? [...state.items, assistantItem(state.roundText, 'incomplete')] : state.items;
      await session.addItems(items);
      return { status: 'stopped', items, text: state.text };
    }
    return { status: 'failed', error: toRunError(error, { settings, timedOut: watchdog.timedOut, streamStarted: state.streamStarted }), text: state.text };
  } finally {
    watchdog.dispose();
  }
}
