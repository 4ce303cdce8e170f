import type * as vscode from 'vscode';
import type { ThreadStore } from '../../core/threads/threadStore.ts';
import type { ErrorView, HostMessage, Snapshot } from '../../shared/protocol.ts';
import { RunRegistry } from './chatRuns.ts';
import { ChatSurface, type SurfaceHandler } from '../surfaces/chatSurface.ts';
import type { Disposable } from '../platform/disposable.ts';
import { readSettings } from '../platform/settings.ts';
import { buildSnapshot } from './snapshot.ts';
import { DEFAULT_TITLE } from './threadTitle.ts';
import { currentWorkspaceKey } from '../platform/workspaceKey.ts';

/**
 * The host's single source of truth for the chat: which thread this window shows, the open
 * surfaces (panel, side-bar view), the running requests and the last error per thread. Every
 * change, whoever made it, ends in `refresh()`, which sends all surfaces the same snapshot.
 */
export class ChatController implements Disposable {
  readonly store: ThreadStore;
  readonly runs = new RunRegistry();
  /** Last failed request per thread, shown until the next send, retry or undo. */
  readonly errors = new Map<string, ErrorView>();
  private readonly log: vscode.LogOutputChannel;
  private readonly surfaces = new Set<ChatSurface>();
  private handler: SurfaceHandler = () => undefined;
  private key = currentWorkspaceKey();
  private current: string | undefined;
  private last: Snapshot | undefined;

  constructor(store: ThreadStore, log: vscode.LogOutputChannel) {
    this.store = store;
    this.log = log;
  }

  /** Sets who handles validated webview messages (kept apart to keep this class small). */
  setHandler(handler: SurfaceHandler): void {
    this.handler = handler;
  }

  workspaceKey(): string {
    return this.key;
  }

  /** The thread shown, without creating one. */
  peekThreadId(): string | undefined {
    return this.current && this.store.getThread(this.current) ? this.current : undefined;
  }

  /**
   * The thread shown: the remembered one if it still exists (another window may have deleted it),
   * else this workspace's last current or newest thread, else a new one.
   */
  threadId(): string {
    const known = this.peekThreadId();
    if (known) return known;
    const stored = this.store.currentThreadId(this.key);
    const id =
      (stored && this.store.getThread(stored) ? stored : undefined) ??
      this.store.listThreads(this.key)[0]?.id ??
      this.store.createThread(this.key, DEFAULT_TITLE).id;
    this.select(id);
    return id;
  }

  /** Shows `threadId` on every surface and remembers it for this workspace. */
  switchTo(threadId: string): void {
    this.select(threadId);
    this.refresh();
  }

  /** The window's folders changed: its threads may be another workspace's now. */
  workspaceChanged(): void {
    const key = currentWorkspaceKey();
    if (key === this.key) return;
    this.key = key;
    this.current = undefined;
    this.refresh();
  }

  /** Wraps a webview in a surface that shares this chat. */
  attach(webview: vscode.Webview): ChatSurface {
    const surface = new ChatSurface(webview, (from, message) => this.handler(from, message), this.log);
    this.surfaces.add(surface);
    return surface;
  }

  detach(surface: ChatSurface): void {
    this.surfaces.delete(surface);
    surface.dispose();
  }

  /** The current snapshot, as sent to surfaces. */
  snapshot(): Snapshot {
    const threadId = this.threadId();
    const run = this.runs.forThread(threadId);
    const snapshot = buildSnapshot(this.store, threadId, {
      model: readSettings().model,
      stream: run ? { id: run.id, text: run.text } : undefined,
      error: this.errors.get(threadId),
    });
    this.last = snapshot;
    return snapshot;
  }

  /** Sends one surface the current snapshot (after its `ready`). */
  sendSnapshot(surface: ChatSurface): void {
    surface.post({ type: 'thread/snapshot', snapshot: this.snapshot() });
  }

  /** Sends every surface a fresh snapshot. */
  refresh(): void {
    if (this.surfaces.size === 0) return;
    try {
      this.broadcast({ type: 'thread/snapshot', snapshot: this.snapshot() });
    } catch (error) {
      this.log.error(`Could not read the thread: ${String(error)}`);
    }
  }

  /** Posts to every surface. */
  broadcast(message: HostMessage): void {
    for (const surface of this.surfaces) surface.post(message);
  }

  /** The last snapshot posted, undefined when no surface is open. */
  lastSnapshot(): Snapshot | undefined {
    return this.surfaces.size > 0 ? this.last : undefined;
  }

  /** Asks the surfaces to put the cursor in the message box. */
  focusInput(): void {
    this.broadcast({ type: 'ui/focusInput' });
  }

  dispose(): void {
    for (const surface of [...this.surfaces]) this.detach(surface);
    void this.runs.stopAll();
  }

  private select(threadId: string): void {
    this.current = threadId;
    try {
      this.store.setCurrentThread(this.key, threadId);
    } catch (error) {
      this.log.warn(`Could not remember the current thread: ${String(error)}`);
    }
  }
}
