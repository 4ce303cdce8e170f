import type * as vscode from 'vscode';
import type { HostMessage, WebviewMessage } from '../../shared/protocol.ts';
import { DisposableStore, type Disposable } from '../platform/disposable.ts';
import { parseWebviewMessage } from '../../shared/parseMessage.ts';

/** Wraps a webview in a surface that shares the chat (routes its messages, receives snapshots). */
export type SurfaceFactory = (webview: vscode.Webview) => ChatSurface;

/** Receives the validated messages of one surface. */
export type SurfaceHandler = (surface: ChatSurface, message: WebviewMessage) => void;

/** Messages a fresh snapshot makes obsolete; the rest (e.g. focus requests) still apply after `ready`. */
const COVERED_BY_SNAPSHOT = new Set<HostMessage['type']>(['thread/snapshot', 'chat/delta', 'chat/done', 'chat/error']);

/**
 * One chat webview (the editor panel or the side-bar view). Messages to it wait until its script
 * says `ready`; a webview that was hidden loses its page, so after hiding it waits for the next
 * `ready`, which the handler answers with a snapshot. Messages from it are validated first.
 */
export class ChatSurface implements Disposable {
  readonly webview: vscode.Webview;
  private readonly handler: SurfaceHandler;
  private readonly log: vscode.LogOutputChannel;
  private readonly disposables = new DisposableStore();
  private queue: HostMessage[] = [];
  private ready = false;

  constructor(webview: vscode.Webview, handler: SurfaceHandler, log: vscode.LogOutputChannel) {
    this.webview = webview;
    this.handler = handler;
    this.log = log;
    this.disposables.add(webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)));
  }

  /** Sends now if the page is ready, else after its `ready`. */
  post(message: HostMessage): void {
    if (!this.ready) {
      // The snapshot that answers `ready` covers these; queueing every delta of a long stream
      // into a hidden surface would only grow memory.
      if (!COVERED_BY_SNAPSHOT.has(message.type)) this.queue.push(message);
      return;
    }
    try {
      this.webview.postMessage(message).then(
        (delivered) => {
          if (!delivered) this.ready = false;
        },
        (error: unknown) => this.log.warn(`postMessage failed: ${String(error)}`),
      );
    } catch (error) {
      // A webview disposed a moment ago throws synchronously; its onDidDispose detaches it next.
      this.log.warn(`postMessage failed: ${String(error)}`);
    }
  }

  /** The page was hidden (its document is discarded): hold messages until it loads again. */
  hidden(): void {
    this.ready = false;
    this.queue = [];
  }

  dispose(): void {
    this.queue = [];
    this.disposables.dispose();
  }

  private receive(raw: unknown): void {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log.warn(parsed.reason);
      return;
    }
    if (parsed.message.type === 'ready') {
      this.ready = true;
      const pending = this.queue;
      this.queue = [];
      this.handler(this, parsed.message);
      for (const message of pending) this.post(message);
      return;
    }
    this.handler(this, parsed.message);
  }
}
