import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { TurnResult } from '../../core/model/types.ts';
import type { HistoryStore, SwitchVersionResult, ThreadInfo } from '../../core/store/historyStore.ts';
import { turnIdsOf } from '../../core/view/paging.ts';
import type { ChatSurface } from '../surfaces/chatSurface.ts';
import type { RunRegistry } from './chatRuns.ts';
import type { ChatTurns } from './chatTurns.ts';

/** What the controller lends the version actions: its store, runs and turn runner, and its way of showing a change. */
export interface VersionsHost {
  readonly store: HistoryStore;
  readonly runs: RunRegistry;
  readonly turns: ChatTurns;
  threadId(): Promise<string>;
  /** The thread's history changed under the user's hand: its error and unsaved answer are out of date. */
  forget(threadId: string): void;
  refresh(): void;
  switchTo(threadId: string): Promise<boolean>;
}

/** Where an edit or a regeneration comes from: the webview gives its request id, the surface and the history it saw. */
export interface VersionRequest {
  requestId?: string;
  /** The `lastRowId` of the snapshot the user acted on; absent (commands, the API): the thread as it is now. */
  expectedLastRowId?: number;
  origin?: ChatSurface;
}

/** The thread changed since the user saw it (another window, a script): nothing was changed. */
export type Conflict = { status: 'conflict' };

/**
 * Edit, Regenerate, version switches and Fork for the chat controller. Each stops the thread's
 * running answer first (the stop stores its partial answer, in the version it belongs to), applies
 * the change only to the history the user saw, and answers a new question exactly as a send does.
 */
export class ChatVersions {
  readonly #host: VersionsHost;

  constructor(host: VersionsHost) {
    this.#host = host;
  }

  /** Asks turn `turnId`'s question again with `text`; what followed the old question stays as the other version. */
  async edit(turnId: number, text: string, request: VersionRequest = {}): Promise<TurnResult | Conflict> {
    const requestId = request.requestId ?? randomUUID();
    if (text.trim() === '') return this.#host.turns.refuse(requestId, request.origin, 'Type the edited message first.');
    const threadId = await this.#host.threadId();
    const expected = await this.#settle(threadId, request.expectedLastRowId);
    const result = await this.#host.store.editQuestion(threadId, turnId, text, expected);
    if (result.status === 'conflict') return this.#conflict(requestId, request.origin, 'edit');
    this.#host.forget(threadId);
    return this.#host.turns.answer(threadId, result.questionRowId, requestId, request.origin);
  }

  /** Asks turn `turnId`'s question again; its new answer becomes a new version of the turn. */
  async regenerate(turnId: number, request: VersionRequest = {}): Promise<TurnResult | Conflict> {
    const requestId = request.requestId ?? randomUUID();
    const threadId = await this.#host.threadId();
    const expected = await this.#settle(threadId, request.expectedLastRowId);
    const result = await this.#host.store.regenerate(threadId, turnId, expected);
    if (result.status === 'conflict') return this.#conflict(requestId, request.origin, 'regenerate');
    this.#host.forget(threadId);
    return this.#host.turns.answer(threadId, result.questionRowId, requestId, request.origin);
  }

  /** Shows the previous or next version of turn `turnId` and everything that followed it. */
  async switchVersion(turnId: number, direction: 'previous' | 'next', expectedLastRowId?: number): Promise<SwitchVersionResult> {
    const threadId = await this.#host.threadId();
    const expected = await this.#settle(threadId, expectedLastRowId);
    const result = await this.#host.store.switchVersion(threadId, turnId, direction, expected);
    if (result.status === 'conflict') this.#conflict(undefined, undefined, 'switch');
    else {
      this.#host.forget(threadId);
      this.#host.refresh();
    }
    return result;
  }

  /**
   * A new thread with the shown thread's history through turn `turnId` (default: the last turn),
   * shown from now on; undefined when the thread has no turn to fork. A running answer goes on in
   * the original thread: forking changes nothing there.
   */
  async fork(turnId?: number): Promise<ThreadInfo | undefined> {
    const threadId = await this.#host.threadId();
    const through = turnId ?? turnIdsOf((await this.#host.store.readView(threadId, 1)).page).at(-1);
    if (through === undefined) {
      void vscode.window.showInformationMessage('Session Chat: this thread has no messages to fork yet.');
      return undefined;
    }
    const thread = await this.#host.store.forkThread(threadId, through);
    await this.#host.switchTo(thread.id);
    return thread;
  }

  /**
   * Stops the thread's running answer and returns the last row the change may expect. A user who
   * saw the thread as it was while answering (the snapshot's last row was then the question) saw
   * what the stop stored too: the partial answer belongs to the version being left.
   */
  async #settle(threadId: string, expected: number | undefined): Promise<number> {
    const running = this.#host.runs.forThread(threadId) !== undefined;
    const before = running ? await this.#lastRowId(threadId) : undefined;
    if (running) await this.#host.runs.stop(threadId);
    if (expected === undefined || (running && expected === before)) return this.#lastRowId(threadId);
    return expected;
  }

  async #lastRowId(threadId: string): Promise<number> {
    return (await this.#host.store.readView(threadId, 1)).lastRowId;
  }

  #conflict(requestId: string | undefined, origin: ChatSurface | undefined, what: 'edit' | 'regenerate' | 'switch'): Conflict {
    const words = { edit: 'the edit was not made', regenerate: 'the answer was not regenerated', switch: 'the version was not switched' }[what];
    // The webview waits for the stream it started: end it there (no stored error: the thread is fine).
    if (requestId !== undefined) origin?.post({ type: 'chat/error', id: requestId, error: { message: `The thread changed in another window, so ${words}.`, actions: [] } });
    void vscode.window.showInformationMessage(`Session Chat: the thread changed in another window, so ${words}. The chat now shows the thread as it is.`);
    this.#host.refresh();
    return { status: 'conflict' };
  }
}
