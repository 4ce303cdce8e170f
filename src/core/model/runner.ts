import type { Item } from '../session/session.ts';
import { limitHistory, pairToolItems } from './history.ts';
import { assistantItem, isFunctionCall, unavailableToolOutput } from './items.ts';
import { ModelSourceError, type RunError } from './runError.ts';
import { DEFAULT_TIMEOUT_MS, type TurnRequest, type TurnResult } from './types.ts';
import { IdleWatchdog } from './watchdog.ts';

/** How many times a model that keeps calling (unavailable) tools is asked again within one turn. */
export const MAX_TOOL_ROUNDS = 3;

/** Progress of a turn, kept outside the try so Stop and failures can see how far it got. */
interface TurnState {
  /** Complete rounds only: each call is followed by its output, so none is ever left alone. */
  items: Item[];
  text: string;
  roundText: string;
  /** Which cap stopped the answer, if one did. */
  cut?: 'length' | 'time';
}

/**
 * The answer's caps: a stream that never ends must not grow a row (and the panel) without bound.
 * Hitting one aborts the request like Stop does, so the answer so far is kept, marked incomplete.
 */
class AnswerCaps {
  readonly #controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #maxChars: number;
  readonly #state: TurnState;

  constructor(settings: TurnRequest['settings'], state: TurnState) {
    this.#state = state;
    this.#maxChars = settings.maxAnswerChars && settings.maxAnswerChars > 0 ? settings.maxAnswerChars : Number.POSITIVE_INFINITY;
    if (settings.maxAnswerMs && settings.maxAnswerMs > 0) this.#timer = setTimeout(() => this.#cut('time'), settings.maxAnswerMs);
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The part of `delta` that still fits; cuts the answer when it is full. */
  fit(delta: string): string {
    const room = this.#maxChars - this.#state.text.length;
    if (delta.length < room) return delta;
    this.#cut('length');
    return delta.slice(0, Math.max(0, room));
  }

  #cut(cap: 'length' | 'time'): void {
    this.#state.cut ??= cap;
    this.#controller.abort(new Error(`answer ${cap} cap reached`));
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }
}

async function runRounds(request: TurnRequest, history: Item[], watchdog: IdleWatchdog, caps: AnswerCaps, state: TurnState): Promise<void> {
  const { source, settings } = request;
  for (let round = 0; round <= MAX_TOOL_ROUNDS; round++) {
    state.roundText = '';
    const reply = await source.stream({
      model: settings.model,
      systemPrompt: settings.systemPrompt,
      history: pairToolItems([...history, ...state.items]),
      signal: watchdog.signal,
      onEvent: () => watchdog.touch(),
      onDelta: (received) => {
        watchdog.touch();
        if (state.cut) return;
        const delta = caps.fit(received);
        if (delta === '') return;
        state.roundText += delta;
        state.text += delta;
        request.onDelta(delta);
      },
    });
    // A source may end an aborted stream quietly instead of throwing: what arrived is only partial.
    if (watchdog.signal.aborted) throw new Error('The request was aborted.');
    const calls = reply.items.filter(isFunctionCall);
    state.items.push(...reply.items, ...calls.map(unavailableToolOutput));
    state.roundText = '';
    // No tools run here: the model is told so and asked again, until it answers in words.
    if (calls.length === 0) return;
  }
}

/** Stop or a cap: what arrived is kept, the unfinished part as an `incomplete` answer. */
function stopped(state: TurnState): TurnResult {
  const items = state.roundText ? [...state.items, assistantItem(state.roundText, 'incomplete')] : state.items;
  return state.cut ? { status: 'stopped', items, text: state.text, cut: state.cut } : { status: 'stopped', items, text: state.text };
}

function failureOf(error: unknown, timedOut: boolean): RunError {
  if (timedOut) return { kind: 'timeout' };
  if (error instanceof ModelSourceError) return error.runError;
  return { kind: 'unknown', detail: error instanceof Error ? error.message : String(error) };
}

/**
 * Runs one turn on the stored history, which already ends with the user's message, and returns
 * what the host should store for the model's side. Stop returns the partial answer as an
 * `incomplete` assistant message. A failure returns no items (not even text that streamed before a
 * broken connection): the history still ends with the user's message, ready for Retry.
 */
export async function runTurn(request: TurnRequest): Promise<TurnResult> {
  const { settings } = request;
  const history = limitHistory(request.history, settings.historyLimit);
  const state: TurnState = { items: [], text: '', roundText: '' };
  const caps = new AnswerCaps(settings, state);
  const stop = AbortSignal.any([request.signal, caps.signal]);
  const watchdog = new IdleWatchdog(stop, settings.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    await runRounds(request, history, watchdog, caps, state);
    return state.cut ? stopped(state) : { status: 'completed', items: state.items, text: state.text };
  } catch (error) {
    if (stop.aborted && !watchdog.timedOut) return stopped(state);
    return { status: 'failed', error: failureOf(error, watchdog.timedOut), text: state.text };
  } finally {
    watchdog.dispose();
    caps.dispose();
  }
}
