import type * as vscode from 'vscode';
import { isSummaryItem } from '../../core/context/summaryItem.ts';
import { isUserMessage } from '../../core/items/itemFields.ts';
import type { HistoryEditResult, HistoryStore, ItemPage, SwitchVersionResult, ThreadInfo, ThreadView, TurnVersions } from '../../core/store/historyStore.ts';
import { itemsToTurns } from '../../core/view/itemsToTurns.ts';
import { PAGE_SIZE, toTurnPage, turnIdsOf, withVersions } from '../../core/view/paging.ts';
import type { TurnResult } from '../../core/model/types.ts';
import type { ErrorView, HostMessage, Snapshot, TurnPage, ViewTurn } from '../../shared/protocol.ts';
import type { Disposable } from '../platform/disposable.ts';
import { readSettings } from '../platform/settings.ts';
import type { ChatSurface } from '../surfaces/chatSurface.ts';
import { RunRegistry } from './chatRuns.ts';
import { ChatTurns, unsavedError, type TurnsHost, type UnsavedAnswer } from './chatTurns.ts';
import type { ChatContext } from '../context/chatContext.ts';
import type { ApiKeyStore } from '../platform/secrets.ts';
import { ChatVersions, type Conflict, type VersionRequest } from './chatVersions.ts';
import { SetupActions } from './setupActions.ts';
import { SetupCheck } from './setupCheck.ts';
import { buildSnapshot, withAnswers } from './snapshot.ts';
import { RequestPlanner } from './requestPlanner.ts';
import { DEFAULT_TITLE } from './threadTitle.ts';

/**
 * The host's single source of truth for the chat, and the one place its state changes: which
 * thread this window shows, the open surfaces (panel, side-bar view), the running requests and the
 * last error per thread. Every action (send, stop, undo, switch, …) goes through a method here
 * and ends in `refresh()`, which sends every surface the same snapshot. Changes made by another
 * window or program arrive from the store's change signal and end there too.
 */
export class ChatController implements Disposable {
  readonly store: HistoryStore;
  readonly #runs = new RunRegistry();
  /** Last failed request per thread, shown until the next send, retry or undo. */
  readonly #errors = new Map<string, ErrorView>();
  /** Answers that arrived but could not be stored, per thread, until saved. */
  readonly #unsaved = new Map<string, UnsavedAnswer>();
  readonly #log: vscode.LogOutputChannel;
  readonly #surfaces = new Set<ChatSurface>();
  readonly #turns: ChatTurns;
  readonly #versions: ChatVersions;
  /** How this window's workspace is keyed in the store in use (see storeManager.ts). */
  readonly #keyOf: () => string;
  #key: string;
  #current: string | undefined;
  #last: Snapshot | undefined;
  #refreshes = 0;
  /** Snapshot reads started, and the one whose result is `#last`. */
  #reads = 0;
  #lastRead = 0;
  #resolving: Promise<string> | undefined;
  #stopWatching: (() => void) | undefined;
  readonly #snapshotListeners = new Set<(snapshot: Snapshot) => void>();
  /** Is a usable model configured? Asked when a surface opens, never at activation. */
  readonly #setupCheck: SetupCheck;
  /** The "Set up a model" card's requests. */
  readonly setup: SetupActions;
  /** Attachments and tool approvals (set once by the chat host). */
  context: ChatContext | undefined;
  /** Agents, sources and what each request sends; the meter's figures. */
  readonly planner: RequestPlanner;

  constructor(store: HistoryStore, keys: ApiKeyStore, log: vscode.LogOutputChannel, keyOf: () => string, workspaceState: vscode.Memento) {
    this.store = store;
    this.#keyOf = keyOf;
    this.#key = keyOf();
    this.#log = log;
    this.#setupCheck = new SetupCheck(keys, log, () => this.refresh());
    this.setup = new SetupActions({ keys, log, changed: () => this.#setupChanged() });
    this.planner = new RequestPlanner(keys, workspaceState, log, () => this.refresh());
    const host: TurnsHost = {
      store,
      runs: this.#runs,
      errors: this.#errors,
      unsaved: this.#unsaved,
      log,
      threadId: () => this.threadId(),
      isShown: (threadId) => this.#current === threadId,
      broadcast: (message) => this.broadcast(message),
      refresh: () => this.refresh(),
      context: () => this.context,
      planner: this.planner,
    };
    this.#turns = new ChatTurns(host);
    this.#versions = new ChatVersions({
      store,
      runs: this.#runs,
      turns: this.#turns,
      threadId: () => this.threadId(),
      forget: (threadId) => this.#forget(threadId),
      refresh: () => this.refresh(),
      switchTo: (threadId) => this.switchTo(threadId),
    });
  }

  workspaceKey(): string {
    return this.#key;
  }

  /** The thread shown, as last resolved (no store read). */
  peekThreadId(): string | undefined {
    return this.#current;
  }

  /**
   * The thread shown: the remembered one if it still exists (another window may have deleted it),
   * else this workspace's last current or newest thread, else a new one.
   */
  threadId(): Promise<string> {
    // One resolution at a time: two surfaces loading at once must not create two new threads.
    this.#resolving ??= this.#resolveThread().finally(() => (this.#resolving = undefined));
    return this.#resolving;
  }

  async #resolveThread(): Promise<string> {
    if (this.#current && (await this.store.getThread(this.#current))) return this.#current;
    const stored = await this.store.currentThreadId(this.#key);
    const id =
      (stored && (await this.store.getThread(stored)) ? stored : undefined) ??
      newest(await this.store.listThreads(this.#key))?.id ??
      (await this.store.createThread(this.#key, DEFAULT_TITLE)).id;
    await this.#select(id);
    return id;
  }

  /** Shows `threadId` on every surface and remembers it for this workspace; false when it does not exist. */
  async switchTo(threadId: string): Promise<boolean> {
    if (!(await this.store.getThread(threadId))) return false;
    await this.#select(threadId);
    this.refresh();
    return true;
  }

  async newThread(title: string): Promise<ThreadInfo> {
    const thread = await this.store.createThread(this.#key, title);
    await this.switchTo(thread.id);
    this.broadcast({ type: 'ui/focusInput' });
    return thread;
  }

  async renameThread(threadId: string, title: string): Promise<ThreadInfo> {
    const renamed = await this.store.renameThread(threadId, title);
    this.refresh();
    return renamed;
  }

  /** Pins or unpins a thread (pinned threads come first in Switch Thread and search results). */
  async setPinned(threadId: string, pinned: boolean): Promise<ThreadInfo> {
    const thread = await this.store.setPinned(threadId, pinned);
    this.refresh();
    return thread;
  }

  /** The row ids of `threadId`'s items that match `query`, oldest first: the panel's find bar. */
  findInThread(threadId: string, query: string): Promise<number[]> {
    return query.trim() === '' ? Promise.resolve([]) : this.store.findInThread(threadId, query);
  }

  /** Stops the thread's request, deletes it; the surfaces fall back to the newest remaining thread. */
  async deleteThread(threadId: string): Promise<void> {
    await this.#runs.stop(threadId);
    await this.store.deleteThread(threadId);
    this.#forget(threadId);
    this.refresh();
  }

  /**
   * Undo while an answer streams stops it first (keeping nothing of it: the whole turn goes), since
   * the user asking to undo the turn plainly no longer wants its answer.
   */
  async undo(): Promise<HistoryEditResult> {
    const result = await this.#edit((threadId) => this.store.undoTurn(threadId));
    // The user undid a question to ask something else: the cursor goes where they will type it.
    this.focusInput();
    return result;
  }

  /** Redo also stops a running answer first, so restored items never interleave with new ones. */
  async redo(): Promise<HistoryEditResult> {
    const result = await this.#edit((threadId) => this.store.redoTurn(threadId));
    this.focusInput();
    return result;
  }

  /** The Clear notification's Undo: restores that Clear only, never a turn sent after it. */
  async undoClear(threadId: string): Promise<HistoryEditResult> {
    return this.#edit(() => this.store.undoClear(threadId), threadId);
  }

  /** Clears the shown thread (undoably); returns the thread and how many rows went. */
  async clear(): Promise<{ threadId: string; removed: number }> {
    const threadId = await this.threadId();
    await this.#runs.stop(threadId);
    const removed = await this.store.clearThread(threadId);
    this.#forget(threadId);
    this.refresh();
    return { threadId, removed };
  }

  async #edit(change: (threadId: string) => Promise<HistoryEditResult>, given?: string): Promise<HistoryEditResult> {
    const threadId = given ?? (await this.threadId());
    await this.#runs.stop(threadId);
    const result = await change(threadId);
    if (result.status === 'done') this.#forget(threadId);
    this.refresh();
    return result;
  }

  /** Sends `text` in the shown thread; resolves when the turn has ended and been stored. */
  send(text: string, requestId?: string, origin?: ChatSurface): Promise<TurnResult> {
    return this.#turns.send(text, requestId, origin);
  }

  /** Re-runs the shown thread's unanswered last question. */
  retry(requestId?: string, origin?: ChatSurface): Promise<TurnResult> {
    return this.#turns.retry(requestId, origin);
  }

  /**
   * Stores the answer that could not be saved, on top of its question (with its first operation
   * id, so it can never be stored twice). 'conflict' when the thread changed since.
   */
  async saveAnswer(): Promise<'saved' | 'nothing' | 'conflict'> {
    const threadId = await this.threadId();
    const unsaved = this.#unsaved.get(threadId);
    if (!unsaved) return 'nothing';
    try {
      const result = await this.store.applyTransaction({ operationId: unsaved.operationId, threadId, expectedLastRowId: unsaved.questionRowId, replacement: unsaved.items, ...(unsaved.answer ? { answer: unsaved.answer } : {}) });
      if (result.status === 'conflict') {
        this.#errors.set(threadId, {
          message: 'This answer cannot be stored under its question any more: the thread changed in another window. Copy what you need from it; it goes away with your next message.',
          actions: [],
        });
        return 'conflict';
      }
      this.#unsaved.delete(threadId);
      this.#errors.delete(threadId);
      return 'saved';
    } catch (error) {
      this.#errors.set(threadId, unsavedError(error instanceof Error ? error.message : String(error)));
      throw error;
    } finally {
      this.refresh();
    }
  }

  /**
   * Edit message: asks the shown thread's turn `turnId` again with `text`, as a new version of that
   * turn (a running answer is stopped first); resolves when the new answer has ended and been stored.
   */
  editQuestion(turnId: number, text: string, request?: VersionRequest): Promise<TurnResult | Conflict> {
    return this.#versions.edit(turnId, text, request);
  }

  /** Regenerate answer: asks turn `turnId`'s question again; the new answer is a new version of the turn. */
  regenerate(turnId: number, request?: VersionRequest): Promise<TurnResult | Conflict> {
    return this.#versions.regenerate(turnId, request);
  }

  /** Previous / Next version of turn `turnId`; a stale `expectedLastRowId` is refused with a message. */
  switchVersion(turnId: number, direction: 'previous' | 'next', expectedLastRowId?: number): Promise<SwitchVersionResult> {
    return this.#versions.switchVersion(turnId, direction, expectedLastRowId);
  }

  /** Fork thread from here: a new thread with the history through turn `turnId` (default the last), shown now. */
  fork(turnId?: number): Promise<ThreadInfo | undefined> {
    return this.#versions.fork(turnId);
  }

  /** True while a request runs in this thread (Compact Thread waits for it). */
  isRunning(threadId: string): boolean {
    return this.#runs.forThread(threadId) !== undefined;
  }

  /** Stops the request with this id; false when it already ended. */
  abort(requestId: string): boolean {
    return this.#turns.abort(requestId);
  }

  /** Stops every request (they store their partial answers); for shutdown. */
  stopAll(): Promise<void> {
    return this.#runs.stopAll();
  }

  /** The page of turns before the turn `beforeId` of the shown thread. */
  async loadOlder(beforeId: number): Promise<TurnPage> {
    const threadId = await this.threadId();
    const page = await this.store.pageBefore(threadId, beforeId, PAGE_SIZE);
    const turns = toTurnPage(page);
    return { ...turns, turns: withAnswers(withVersions(turns.turns, await this.#versionsOf(threadId, page)), page.answers) };
  }

  /** Which of a page's turns have several versions (one query for the page). */
  #versionsOf(threadId: string, page: ItemPage): Promise<Map<number, TurnVersions>> {
    const ids = turnIdsOf(page);
    return ids.length === 0 ? Promise.resolve(new Map()) : this.store.versionsOf(threadId, ids);
  }

  /** The shown thread's title, pin and all its turns, for an export. */
  async wholeThread(): Promise<{ title: string; pinned: boolean; turns: ViewTurn[] }> {
    const threadId = await this.threadId();
    const thread = await this.store.getThread(threadId);
    return { title: thread?.title ?? threadId, pinned: thread?.pinned ?? false, turns: itemsToTurns(await this.store.getItems(threadId)) };
  }

  /** The window's folders changed: its threads may be another workspace's now. */
  workspaceChanged(): void {
    const key = this.#keyOf();
    if (key === this.#key) return;
    this.#key = key;
    this.#current = undefined;
    this.refresh();
  }

  /**
   * The store is about to use another backend (local ⇄ PostgreSQL): the workspace key may differ
   * there, and the shown thread, its error and unsaved answer belong to the old one. The store's
   * change signal refreshes the surfaces right after.
   */
  storeSwitched(): void {
    this.#key = this.#keyOf();
    this.#current = undefined;
    this.#errors.clear();
    this.#unsaved.clear();
  }

  /** A surface whose page loaded: it shares this chat from now on. */
  attach(surface: ChatSurface): void {
    this.#surfaces.add(surface);
    // Other windows' changes matter only while something shows them.
    this.#stopWatching ??= this.store.onDidChange(() => this.refresh());
  }

  detach(surface: ChatSurface): void {
    this.#surfaces.delete(surface);
    surface.dispose();
    if (this.#surfaces.size === 0) {
      this.#stopWatching?.();
      this.#stopWatching = undefined;
    }
  }

  /** Sends one surface the current snapshot (after its `ready`), with the text streamed so far. */
  async sendSnapshot(surface: ChatSurface): Promise<void> {
    // A surface opening is when "is a model set up?" is asked (again): a key may have been saved meanwhile.
    this.#setupCheck.invalidate();
    surface.post({ type: 'thread/snapshot', snapshot: await this.snapshot(true) });
  }

  /**
   * The current snapshot of the shown thread, as sent to surfaces. The running answer's text goes
   * only to a surface that (re)loads: the others have it from the deltas.
   */
  async snapshot(withStreamText = false): Promise<Snapshot> {
    // Reads overlap (each awaits the store and the meter): only the newest started may become "last".
    const read = ++this.#reads;
    const threadId = await this.threadId();
    const run = this.#runs.forThread(threadId);
    const view = await this.store.readView(threadId, PAGE_SIZE);
    const unsaved = this.#unsaved.get(threadId);
    const snapshot = buildSnapshot(threadId, view, {
      model: readSettings().model,
      answers: view.page.answers,
      usage: view.usage,
      versions: await this.#versionsOf(threadId, view.page),
      stream: run ? { id: run.id, ...(withStreamText ? { text: run.text } : {}), ...(run.agent ? { agent: run.agent } : {}) } : undefined,
      error: this.#errors.get(threadId) ?? (run || unsaved ? undefined : unansweredError(view)),
      unsaved: unsaved && { text: unsaved.text },
    });
    const setup = await this.#setupCheck.view();
    if (setup) snapshot.setup = setup;
    this.context?.decorate(snapshot);
    await this.planner.decorate(snapshot, this.store, this.context);
    if (read > this.#lastRead) {
      this.#lastRead = read;
      this.#last = snapshot;
      for (const listener of this.#snapshotListeners) listener(snapshot);
    }
    return snapshot;
  }

  /** The agent picker chose the agent of the next messages ('' = the default agent). */
  selectAgent(name: string): Promise<void> {
    return this.planner.select(name);
  }

  /** Calls `listener` with every snapshot read for the surfaces (e.g. to keep a menu's context key right). */
  onSnapshot(listener: (snapshot: Snapshot) => void): Disposable {
    this.#snapshotListeners.add(listener);
    return { dispose: () => this.#snapshotListeners.delete(listener) };
  }

  /**
   * Sends every surface a fresh snapshot. Snapshots are read asynchronously, so one that a newer
   * refresh overtook is dropped rather than posted over it.
   */
  refresh(): void {
    if (this.#surfaces.size === 0) return;
    const mine = ++this.#refreshes;
    this.snapshot().then(
      (snapshot) => {
        if (mine === this.#refreshes) this.broadcast({ type: 'thread/snapshot', snapshot });
      },
      (error: unknown) => this.#log.error(`Could not read the thread: ${String(error)}`),
    );
  }

  /** Posts to every surface. */
  broadcast(message: HostMessage): void {
    for (const surface of this.#surfaces) surface.post(message);
  }

  /** The last snapshot posted, undefined when no surface is open. */
  lastSnapshot(): Snapshot | undefined {
    return this.#surfaces.size > 0 ? this.#last : undefined;
  }

  /** Asks the surfaces to put the cursor in the message box. */
  focusInput(): void {
    this.broadcast({ type: 'ui/focusInput' });
  }

  dispose(): void {
    this.#setupCheck.dispose();
    for (const surface of [...this.#surfaces]) this.detach(surface);
    void this.#runs.stopAll();
  }

  /**
   * The setup card saved a key or settings: check again, and drop the shown thread's error (it was
   * about the old settings; an unanswered question still offers Retry).
   */
  #setupChanged(): void {
    this.#setupCheck.invalidate();
    if (this.#current) this.#errors.delete(this.#current);
    this.refresh();
  }

  /** The thread's history changed under the user's hand: its error and unsaved answer are out of date. */
  #forget(threadId: string): void {
    this.#errors.delete(threadId);
    this.#unsaved.delete(threadId);
  }

  async #select(threadId: string): Promise<void> {
    this.#current = threadId;
    try {
      await this.store.setCurrentThread(this.#key, threadId);
    } catch (error) {
      this.#log.warn(`Could not remember the current thread: ${String(error)}`);
    }
  }
}

/**
 * A thread whose newest item is a question with no answer and no request running here (a crash,
 * a closed window, a Stop before any text) offers Retry: the question would otherwise sit there.
 */
function unansweredError(view: ThreadView): ErrorView | undefined {
  const last = view.page.items.at(-1)?.item;
  // A compaction's summary is stored as a user message, but it is never a question to answer.
  if (!isUserMessage(last) || isSummaryItem(last)) return undefined;
  return { message: 'This question has no answer yet.', actions: ['retry'] };
}

/** The thread with the newest activity (the list puts pinned threads first, whatever their age). */
function newest(threads: readonly ThreadInfo[]): ThreadInfo | undefined {
  return threads.reduce<ThreadInfo | undefined>((best, thread) => (!best || thread.updatedAt > best.updatedAt ? thread : best), undefined);
}
