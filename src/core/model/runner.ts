import type { Item } from '../session/session.ts';
import type { ModelReply } from './modelSource.ts';
import { limitHistory, pairToolItems } from './history.ts';
import { callIdOf } from '../items/itemFields.ts';
import { roundLimitText, type TurnTools } from '../tools/turnTools.ts';
import { assistantItem, callOutputItem, isFunctionCall, unavailableToolOutput } from './items.ts';
import { ModelSourceError, type RunError } from './runError.ts';
import { DEFAULT_TIMEOUT_MS, type TurnRequest, type TurnResult } from './types.ts';
import { IdleWatchdog } from './watchdog.ts';
import { addUsage, emptyUsage, requestUsage, type TokenUsage } from './usage.ts';
import { itemText } from '../context/contextBudget.ts';

/** How many times a model that keeps calling tools is asked again within one turn when tools are off. */
export const MAX_TOOL_ROUNDS = 3;

/** Progress of a turn, kept outside the try so Stop and failures can see how far it got. */
interface TurnState {
  /** Complete rounds only: each call is followed by its output, so none is ever left alone. */
  items: Item[];
  text: string;
  roundText: string;
  /** Which cap stopped the answer, if one did. */
  cut?: 'length' | 'time';
  /** Set when the turn ended at the tool round limit. */
  toolLimit?: number;
  /** Tokens of the requests so far: reported by the source, estimated where it did not say. */
  usage: TokenUsage;
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

/** The outputs of one round's calls, each stored right after the calls, so no call is ever left alone. */
async function callOutputs(calls: Item[], tools: TurnTools | undefined, signal: AbortSignal, overLimit: boolean): Promise<Item[]> {
  const outputs: Item[] = [];
  for (const call of calls) {
    if (!tools) outputs.push(unavailableToolOutput(call));
    else if (overLimit) outputs.push(callOutputItem(call, roundLimitText(tools.maxRounds)));
    else {
      const request = { callId: callIdOf(call) ?? '', name: String(call.name ?? ''), arguments: typeof call.arguments === 'string' ? call.arguments : '' };
      outputs.push(callOutputItem(call, await tools.call(request, signal)));
    }
  }
  return outputs;
}

/** One request of the turn; its usage joins the turn's, a stopped request's estimated from what was sent and received. */
async function askOnce(request: TurnRequest, sent: Item[], watchdog: IdleWatchdog, caps: AnswerCaps, state: TurnState): Promise<ModelReply> {
  const { source, settings, tools } = request;
  const sentText = (): string => (settings.systemPrompt ?? '') + sent.map(itemText).join('\n');
  let reply: ModelReply;
  try {
    reply = await source.stream({
      model: settings.model,
      systemPrompt: settings.systemPrompt,
      history: sent,
      tools: tools?.definitions,
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
  } catch (error) {
    if (watchdog.signal.aborted) state.usage = addUsage(state.usage, requestUsage(undefined, sentText, state.roundText));
    throw error;
  }
  // An aborted stream may end quietly with no items: what streamed is then what was received.
  const received = reply.items.map(itemText).join('') || state.roundText;
  state.usage = addUsage(state.usage, requestUsage(reply.usage, sentText, received));
  return reply;
}

async function runRounds(request: TurnRequest, history: Item[], watchdog: IdleWatchdog, caps: AnswerCaps, state: TurnState): Promise<void> {
  const { tools } = request;
  const maxRounds = tools ? tools.maxRounds : MAX_TOOL_ROUNDS;
  for (let round = 0; ; round++) {
    state.roundText = '';
    const reply = await askOnce(request, pairToolItems([...history, ...state.items]), watchdog, caps, state);
    // A source may end an aborted stream quietly instead of throwing: what arrived is only partial.
    if (watchdog.signal.aborted) throw new Error('The request was aborted.');
    const calls = reply.items.filter(isFunctionCall);
    const overLimit = round >= maxRounds;
    // Waiting for the user's approval is not a silent server: the idle timeout rests meanwhile.
    watchdog.pause();
    const outputs = await callOutputs(calls, tools, watchdog.signal, overLimit);
    watchdog.touch();
    state.items.push(...reply.items, ...outputs);
    state.roundText = '';
    if (calls.length === 0) return;
    // Stopped while a call waited: every call has its output saying so; what the model said is kept.
    if (watchdog.signal.aborted) throw new Error('The request was aborted.');
    if (overLimit) {
      // Without tools the model is told they are unavailable; past the limit it is left there.
      if (tools) state.toolLimit = maxRounds;
      return;
    }
    request.onRound?.();
  }
}

/** Stop or a cap: what arrived is kept, the unfinished part as an `incomplete` answer. */
function stopped(state: TurnState): TurnResult {
  const items = state.roundText ? [...state.items, assistantItem(state.roundText, 'incomplete')] : state.items;
  const result: TurnResult = { status: 'stopped', items, text: state.text, usage: state.usage };
  if (state.cut) result.cut = state.cut;
  return result;
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
  const state: TurnState = { items: [], text: '', roundText: '', usage: emptyUsage() };
  const caps = new AnswerCaps(settings, state);
  const stop = AbortSignal.any([request.signal, caps.signal]);
  const watchdog = new IdleWatchdog(stop, settings.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    await runRounds(request, history, watchdog, caps, state);
    if (state.cut) return stopped(state);
    const result: TurnResult = { status: 'completed', items: state.items, text: state.text, usage: state.usage };
    if (state.toolLimit) result.toolLimit = state.toolLimit;
    return result;
  } catch (error) {
    if (stop.aborted && !watchdog.timedOut) return stopped(state);
    return { status: 'failed', error: failureOf(error, watchdog.timedOut), text: state.text };
  } finally {
    watchdog.dispose();
    caps.dispose();
  }
}
