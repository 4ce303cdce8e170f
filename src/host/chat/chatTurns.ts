import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { isSummaryItem } from '../../core/context/summaryItem.ts';
import { isUserMessage } from '../../core/items/itemFields.ts';
import { userItem } from '../../core/model/items.ts';
import type { RunError } from '../../core/model/runError.ts';
import { runTurn } from '../../core/model/runner.ts';
import type { ModelSettings, TurnResult } from '../../core/model/types.ts';
import type { AnswerRecord, HistoryStore } from '../../core/store/historyStore.ts';
import type { Item } from '../../core/session/session.ts';
import type { ErrorAction, ErrorView, HostMessage } from '../../shared/protocol.ts';
import { readSettings, redactUrl, toModelSettings, type ModelSourceKind } from '../platform/settings.ts';
import type { ChatContext } from '../context/chatContext.ts';
import type { ChatSurface } from '../surfaces/chatSurface.ts';
import type { ActiveRun, RunRegistry } from './chatRuns.ts';
import { DeltaBatcher } from './deltaBatcher.ts';
import type { RequestPlanner } from './requestPlanner.ts';
import { describeRunError } from './runErrorWords.ts';
import { DEFAULT_TITLE, titleFromMessage } from './threadTitle.ts';

/** An answer that arrived but could not be stored: kept so the user still has it and can save it again. */
export interface UnsavedAnswer {
  /** The same operation id again, so saving twice can never store it twice. */
  operationId: string;
  questionRowId: number;
  items: Item[];
  text: string;
  /** Who answered and what it cost, saved with it. */
  answer?: AnswerRecord;
}

/** What the controller lends its turn runner: its own state, never anyone else's. */
export interface TurnsHost {
  readonly store: HistoryStore;
  readonly runs: RunRegistry;
  readonly errors: Map<string, ErrorView>;
  readonly unsaved: Map<string, UnsavedAnswer>;
  readonly log: vscode.LogOutputChannel;
  threadId(): Promise<string>;
  isShown(threadId: string): boolean;
  broadcast(message: HostMessage): void;
  refresh(): void;
  /** Attachments and workspace tools, once the chat host has set them up. */
  context(): ChatContext | undefined;
  /** Who answers, with what, and which part of the thread is sent. */
  readonly planner: RequestPlanner;
}

/** A failure the host itself decided (busy, nothing to retry): the words are already the user's. */
type Refusal = { status: 'failed'; error: RunError; text: string };

/**
 * Runs requests for the chat controller: stores the user's message, streams the answer to the
 * surfaces, stores the answer as a history transaction bound to that message's row, and turns the
 * outcome into `chat/done` or `chat/error` plus a fresh snapshot. One request per thread at a time.
 */
export class ChatTurns {
  readonly #host: TurnsHost;
  /** `@name`s already reported as unknown (see #unknownAgent). */
  readonly #toldUnknown = new Set<string>();

  constructor(host: TurnsHost) {
    this.#host = host;
  }

  async send(text: string, requestId: string = randomUUID(), origin?: ChatSurface): Promise<TurnResult> {
    const threadId = await this.#host.threadId();
    if (text.trim() === '') return this.#refuse(requestId, origin, 'Type a message first.');
    if (this.#host.runs.forThread(threadId)) return this.#busy(requestId, origin);
    if (this.#host.unsaved.has(threadId)) return this.#refuse(requestId, origin, 'Save the answer above first (Save Again), so that it is not lost.', ['saveAnswer']);
    // Registered before the first await of the run, so a second send in the same tick is refused.
    return this.#start(threadId, requestId, async () => {
      const firstQuestion = !(await this.#host.store.hasTurns(threadId));
      // The message carries the attachments waiting in the box; they leave it once it is stored.
      const question = this.#host.context()?.userItem(text);
      const questionRowId = await this.#host.store.appendItems(threadId, [question?.item ?? userItem(text)]);
      await question?.stored();
      if (firstQuestion) await this.#nameThread(threadId, text);
      return questionRowId;
    });
  }

  /** Re-runs the thread's stored history (its last, unanswered question) without storing it again. */
  async retry(requestId: string = randomUUID(), origin?: ChatSurface): Promise<TurnResult> {
    const threadId = await this.#host.threadId();
    if (this.#host.runs.forThread(threadId)) return this.#busy(requestId, origin);
    const last = await this.#host.store.lastItem(threadId);
    // Only a question still waiting for its answer is retried: a stale Retry (another surface or
    // window answered meanwhile) must not store a second answer.
    if (!last || !isUserMessage(last.item) || isSummaryItem(last.item)) return this.#refuse(requestId, origin, 'There is no unanswered message to retry.');
    if (this.#host.runs.forThread(threadId)) return this.#busy(requestId, origin);
    return this.#start(threadId, requestId, async () => last.rowId);
  }

  /**
   * Answers a question already stored at row `questionRowId` (an edited question, a question asked
   * again by Regenerate) exactly as a send does: streamed, stored on top of that row, one run per thread.
   */
  answer(threadId: string, questionRowId: number, requestId: string = randomUUID(), origin?: ChatSurface): Promise<TurnResult> {
    if (this.#host.runs.forThread(threadId)) return Promise.resolve(this.#busy(requestId, origin));
    return this.#start(threadId, requestId, async () => questionRowId);
  }

  /** Tells only the surface that asked (with request `requestId`) why nothing happened. */
  refuse(requestId: string, origin: ChatSurface | undefined, message: string): TurnResult {
    return this.#refuse(requestId, origin, message);
  }

  abort(requestId: string): boolean {
    const run = this.#host.runs.byId(requestId);
    run?.controller.abort();
    return run !== undefined;
  }

  #start(threadId: string, requestId: string, storeQuestion: () => Promise<number>): Promise<TurnResult> {
    this.#host.errors.delete(threadId);
    const run = this.#host.runs.start(threadId, requestId, async (active) => {
      const questionRowId = await storeQuestion();
      this.#host.refresh();
      return this.#execute(active, questionRowId);
    });
    this.#host.refresh();
    // Chained after the registry forgets the run, so the final snapshot has no stream left.
    return run.done.then((result) => {
      this.#finish(run, result);
      return result;
    });
  }

  async #execute(run: ActiveRun, questionRowId: number): Promise<TurnResult> {
    let settings = toModelSettings(readSettings(), undefined);
    let sourceKind = readSettings().modelSource;
    try {
      const context = this.#host.context();
      const plan = await this.#host.planner.plan(this.#host.store, run.threadId, (agent) => context?.toolDefinitions(agent?.tools));
      settings = plan.settings;
      sourceKind = plan.sourceKind;
      if (plan.agent) {
        // The streaming answer is labelled with its agent from the start, not only once stored.
        run.agent = plan.agent.name;
        this.#host.refresh();
      }
      if (plan.unknownAgent) this.#unknownAgent(plan.unknownAgent, plan.agent?.name);
      const who = plan.agent ? ` as @${plan.agent.name}` : '';
      const where = plan.sourceKind === 'vscode' ? 'VS Code language model' : `${settings.api} at ${redactUrl(settings.baseUrl)}`;
      const trimmed = plan.context.trimmedTurns > 0 ? `, ${plan.context.trimmedTurns}${plan.context.trimmedAtLeast ? '+' : ''} older turns trimmed` : '';
      this.#host.log.info(`Request ${run.id}: ${settings.model}${who} (${where}), ${plan.history.length} items, about ${plan.context.used} of ${plan.context.window} tokens${trimmed}`);
      const forward = new DeltaBatcher((text) => this.#forward(run, text));
      let result: TurnResult;
      try {
        result = await runTurn({
          source: plan.source,
          history: plan.history,
          settings,
          signal: run.controller.signal,
          onDelta: (delta) => forward.push(delta),
          tools: context?.tools(run.threadId, plan.agent?.tools),
        });
      } finally {
        // Before `chat/done` or `chat/error`: no text may arrive after the stream has ended.
        forward.flush();
      }
      if (result.status === 'failed') this.#host.errors.set(run.threadId, this.#words(result.error, settings, sourceKind));
      else {
        if (result.cut) this.#host.errors.set(run.threadId, cutNote(result.cut, settings));
        if (result.toolLimit) this.#host.errors.set(run.threadId, toolLimitNote(result.toolLimit));
        const answer: AnswerRecord = { model: settings.model, source: plan.sourceKind, usage: result.usage };
        if (plan.agent) answer.agent = plan.agent.name;
        return await this.#storeAnswer(run, questionRowId, result, answer);
      }
      return result;
    } catch (error) {
      this.#host.log.error(`Request ${run.id} failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      const failure: RunError = { kind: 'unknown', detail: error instanceof Error ? error.message : String(error) };
      this.#host.errors.set(run.threadId, this.#words(failure, settings, sourceKind));
      return { status: 'failed', error: failure, text: run.text };
    }
  }

  /** `@name` named no agent: said once per name, as it may just be a word that starts with `@`. */
  #unknownAgent(name: string, answering: string | undefined): void {
    if (this.#toldUnknown.has(name.toLowerCase())) return;
    this.#toldUnknown.add(name.toLowerCase());
    const who = answering ? `@${answering}` : 'the default agent';
    void vscode.window.showWarningMessage(`Session Chat: there is no agent named @${name} in sessionChat.agents, so ${who} answered.`, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'sessionChat.agents');
    });
  }

  /**
   * Stores the model's items only on top of the question this run answered: if another window
   * undid, cleared or answered it meanwhile, the transaction sees a different last row and the
   * answer is dropped rather than stored under someone else's question.
   */
  async #storeAnswer(run: ActiveRun, questionRowId: number, answer: TurnResult & { items: Item[] }, record: AnswerRecord): Promise<TurnResult> {
    if (answer.items.length === 0) return answer;
    const unsaved: UnsavedAnswer = { operationId: `answer-${run.id}-${questionRowId}`, questionRowId, items: answer.items, text: answer.text, answer: record };
    let stored;
    try {
      stored = await this.#host.store.applyTransaction({ operationId: unsaved.operationId, threadId: run.threadId, expectedLastRowId: questionRowId, replacement: answer.items, answer: record });
    } catch (error) {
      // The answer arrived; only storing it failed (a full disk, a locked or damaged file): keep it.
      const reason = error instanceof Error ? error.message : String(error);
      this.#host.log.error(`Request ${run.id}: the answer could not be saved: ${reason}`);
      this.#host.unsaved.set(run.threadId, unsaved);
      this.#host.errors.set(run.threadId, unsavedError(reason));
      return { status: 'failed', error: { kind: 'unknown', detail: `the answer could not be saved: ${reason}` }, text: answer.text };
    }
    if (stored.status === 'conflict') {
      this.#host.log.warn(`Request ${run.id}: the thread changed while it was answered (in another window or program); its answer was not stored.`);
      void vscode.window.showInformationMessage('Session Chat: the answer was not kept, because the thread changed in another window meanwhile (its question was undone, cleared or answered there).');
    }
    return answer;
  }

  /**
   * One batch of deltas (see DeltaBatcher). `run.text` grows with what is forwarded, not with what
   * waits, so a surface that reloads gets a snapshot whose text the next batch continues exactly.
   */
  #forward(run: ActiveRun, delta: string): void {
    run.text += delta;
    if (this.#host.isShown(run.threadId)) this.#host.broadcast({ type: 'chat/delta', id: run.id, delta });
  }

  #finish(run: ActiveRun, result: TurnResult): void {
    const shown = this.#host.isShown(run.threadId);
    if (result.status === 'failed') {
      const error = this.#host.errors.get(run.threadId) ?? { message: 'The request failed.', actions: ['retry'] };
      const { kind, status, detail } = result.error;
      this.#host.log.warn(`Request ${run.id} failed (${kind}${status ? ` ${status}` : ''}${detail ? `: ${detail}` : ''}).`);
      if (shown) this.#host.broadcast({ type: 'chat/error', id: run.id, error });
      if (error.actions.includes('setApiKey')) offerApiKey(error.message);
    } else {
      this.#host.log.info(`Request ${run.id} ${result.status}`);
      if (shown) this.#host.broadcast({ type: 'chat/done', id: run.id, stopped: result.status === 'stopped' });
    }
    this.#host.refresh();
  }

  #words(error: RunError, settings: ModelSettings, modelSource: ModelSourceKind): ErrorView {
    return describeRunError(error, { baseUrl: settings.baseUrl, model: settings.model, api: settings.api, hasApiKey: Boolean(settings.apiKey), modelSource });
  }

  #busy(requestId: string, origin: ChatSurface | undefined): Refusal {
    return this.#refuse(requestId, origin, 'A request is already running in this thread. Wait for it or press Stop.');
  }

  /** Tells only the surface that asked; the thread's state is unchanged, so no snapshot. */
  #refuse(requestId: string, origin: ChatSurface | undefined, message: string, actions: ErrorAction[] = []): Refusal {
    origin?.post({ type: 'chat/error', id: requestId, error: { message, actions } });
    return { status: 'failed', error: { kind: 'unknown', detail: message }, text: '' };
  }

  /** Names a thread after its first message, unless the user already named it. */
  async #nameThread(threadId: string, text: string): Promise<void> {
    const thread = await this.#host.store.getThread(threadId);
    if (thread?.title === DEFAULT_TITLE) await this.#host.store.renameThread(threadId, titleFromMessage(text));
  }
}

/** What the panel says under an answer a cap cut short (it is kept, as a stopped answer). */
function cutNote(cut: 'length' | 'time', settings: ModelSettings): ErrorView {
  const limit =
    cut === 'length'
      ? `${(settings.maxAnswerChars ?? 0).toLocaleString('en-US')} characters, the limit of sessionChat.maxAnswerCharacters`
      : `${Math.round((settings.maxAnswerMs ?? 0) / 1000)} seconds, the limit of sessionChat.maxAnswerSeconds`;
  return { message: `The answer was cut off at ${limit}. What arrived is kept.`, actions: ['openSettings'] };
}

/** What the panel says when a turn ended at the tool round limit (its calls and outputs are kept). */
function toolLimitNote(limit: number): ErrorView {
  return { message: `The model asked for tools more than ${limit} times in this answer, the limit of sessionChat.tools.maxRounds; the turn ended there. Ask again to go on.`, actions: ['openSettings'] };
}

/** What the panel says under an answer it could not store. */
export function unsavedError(reason: string): ErrorView {
  return {
    message: `The answer arrived but could not be saved (${reason}). It stays here until it is saved: make room (for example free some disk space), then press Save Again.`,
    actions: ['saveAnswer'],
  };
}

/** The error the user can fix with a key gets a notification button too (the panel may be hidden). */
function offerApiKey(message: string): void {
  void vscode.window.showErrorMessage(`Session Chat: ${message}`, 'Set API Key').then((choice) => {
    if (choice) void vscode.commands.executeCommand('sessionChat.setApiKey');
  });
}
