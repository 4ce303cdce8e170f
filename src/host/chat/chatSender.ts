import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { userItem } from '../../core/model/items.ts';
import { runTurn } from '../../core/model/runner.ts';
import type { RunError, TurnResult } from '../../core/model/types.ts';
import { isUserMessage } from '../../core/items/itemFields.ts';
import type { ActiveRun } from './chatRuns.ts';
import type { ChatController } from './chatController.ts';
import type { ChatSurface } from '../surfaces/chatSurface.ts';
import type { ApiKeyStore } from '../platform/secrets.ts';
import { readSettings, redactUrl, toModelSettings } from '../platform/settings.ts';
import { DEFAULT_TITLE, titleFromMessage } from './threadTitle.ts';

/**
 * Runs requests: stores the user's message, streams the answer to the surfaces, and turns the
 * outcome into `chat/done` or `chat/error` plus a fresh snapshot. One request per thread at a time.
 */
export class ChatSender {
  private readonly controller: ChatController;
  private readonly keys: ApiKeyStore;
  private readonly log: vscode.LogOutputChannel;

  constructor(controller: ChatController, keys: ApiKeyStore, log: vscode.LogOutputChannel) {
    this.controller = controller;
    this.keys = keys;
    this.log = log;
  }

  /** Sends `text` in the current thread; resolves when the turn has ended and been stored. */
  send(text: string, requestId: string = randomUUID(), origin?: ChatSurface): Promise<TurnResult> {
    const threadId = this.controller.threadId();
    if (text.trim() === '') return Promise.resolve(this.refuse(requestId, origin, 'Type a message first.'));
    const busy = this.busy(threadId, requestId, origin);
    if (busy) return Promise.resolve(busy);
    this.nameThread(threadId, text);
    this.controller.store.addItems(threadId, [userItem(text)]);
    // The message is stored first; the runner then answers the stored history, the Retry path.
    return this.start(threadId, requestId);
  }

  /** Re-runs the current thread's stored history (its last user message) without storing it again. */
  retry(requestId: string = randomUUID(), origin?: ChatSurface): Promise<TurnResult> {
    const threadId = this.controller.threadId();
    const busy = this.busy(threadId, requestId, origin);
    if (busy) return Promise.resolve(busy);
    const items = this.controller.store.getItems(threadId);
    // Only a question still waiting for its answer is retried: a stale Retry (another surface or
    // window answered meanwhile) must not store a second answer.
    if (!isUserMessage(items.at(-1))) return Promise.resolve(this.refuse(requestId, origin, 'There is no unanswered message to retry.'));
    return this.start(threadId, requestId);
  }

  /** Stops the request with this id; false when it already ended. */
  abort(requestId: string): boolean {
    const run = this.controller.runs.byId(requestId);
    run?.controller.abort();
    return run !== undefined;
  }

  private start(threadId: string, requestId: string): Promise<TurnResult> {
    this.controller.errors.delete(threadId);
    const run = this.controller.runs.start(threadId, requestId, (active) => this.execute(active));
    this.controller.refresh();
    // Chained after the registry forgets the run, so the final snapshot has no stream left.
    return run.done.then((result) => {
      this.finish(run, result);
      return result;
    });
  }

  private async execute(run: ActiveRun): Promise<TurnResult> {
    try {
      const settings = toModelSettings(readSettings(), await this.keys.get());
      this.log.info(`Request ${run.id}: ${settings.api} ${settings.model} at ${redactUrl(settings.baseUrl)}`);
      // Bound to this turn: if another window undoes or clears it meanwhile, the answer is dropped
      // rather than stored without its question.
      const session = this.controller.store.turnSession(run.threadId);
      const result = await runTurn({ session, settings, signal: run.controller.signal, onDelta: (delta) => this.delta(run, delta) });
      if (session.discarded) {
        this.log.warn(`Request ${run.id}: the turn changed while it was answered (undone or cleared elsewhere); its answer was not stored.`);
        void vscode.window.showInformationMessage('Session Chat: the answer was not kept, because its question was undone or cleared in another window meanwhile.');
      }
      return result;
    } catch (error) {
      this.log.error(`Request ${run.id} failed unexpectedly: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return failure(`Something went wrong: ${error instanceof Error ? error.message : String(error)}`, ['retry']);
    }
  }

  private delta(run: ActiveRun, delta: string): void {
    run.text += delta;
    if (this.controller.peekThreadId() === run.threadId) this.controller.broadcast({ type: 'chat/delta', id: run.id, delta });
  }

  private finish(run: ActiveRun, result: TurnResult): void {
    const shown = this.controller.peekThreadId() === run.threadId;
    if (result.status === 'failed') {
      const error = { message: result.error.message, actions: result.error.actions };
      this.log.warn(`Request ${run.id} failed (${result.error.kind}${result.error.status ? ` ${result.error.status}` : ''}): ${error.message}`);
      this.controller.errors.set(run.threadId, error);
      if (shown) this.controller.broadcast({ type: 'chat/error', id: run.id, error });
      if (error.actions.includes('setApiKey')) offerApiKey(error.message);
    } else {
      this.log.info(`Request ${run.id} ${result.status}`);
      if (shown) this.controller.broadcast({ type: 'chat/done', id: run.id, stopped: result.status === 'stopped' });
    }
    this.controller.refresh();
  }

  /** A refusal when the thread already has a request running. */
  private busy(threadId: string, requestId: string, origin: ChatSurface | undefined): TurnResult | undefined {
    if (!this.controller.runs.forThread(threadId)) return undefined;
    return this.refuse(requestId, origin, 'A request is already running in this thread. Wait for it or press Stop.');
  }

  /** Tells only the surface that asked; the thread's state is unchanged, so no snapshot. */
  private refuse(requestId: string, origin: ChatSurface | undefined, message: string): TurnResult {
    origin?.post({ type: 'chat/error', id: requestId, error: { message, actions: [] } });
    return failure(message, []);
  }

  /** Names a thread after its first message, unless the user already named it. */
  private nameThread(threadId: string, text: string): void {
    const store = this.controller.store;
    if (store.getThread(threadId)?.title !== DEFAULT_TITLE) return;
    if (store.getItems(threadId).some(isUserMessage)) return;
    store.renameThread(threadId, titleFromMessage(text));
  }
}

function failure(message: string, actions: RunError['actions']): TurnResult {
  return { status: 'failed', error: { kind: 'unknown', message, actions }, text: '' };
}

/** The error the user can fix with a key gets a notification button too (the panel may be hidden). */
function offerApiKey(message: string): void {
  void vscode.window.showErrorMessage(`Session Chat: ${message}`, 'Set API Key').then((choice) => {
    if (choice) void vscode.commands.executeCommand('sessionChat.setApiKey');
  });
}
