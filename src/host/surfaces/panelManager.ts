import * as vscode from 'vscode';
import { z } from 'zod';
import type { ChatController } from '../chat/chatController.ts';
import type { ChatSurface, SurfaceFactory } from './chatSurface.ts';
import type { Disposable } from '../platform/disposable.ts';
import { PANEL_VIEW_TYPE } from './surfaceIds.ts';
import { webviewHtml, webviewOptions } from './webviewHtml.ts';

/** The tab's title until the panel's first snapshot names its thread. */
const UNTITLED = 'Session Chat';

/** The part of `WebviewState` the host trusts after a reload: only a thread id to look up. */
const restoredState = z.object({ threadId: z.string().min(1).max(200).optional() });

/**
 * The chat as an editor panel: opens or reveals it, and restores it after a window reload
 * (VS Code hands back the panel and the webview's saved state, which names its thread). Its tab
 * reads the shown thread's title, following switches and renames.
 */
export class PanelManager implements vscode.WebviewPanelSerializer, Disposable {
  private readonly extensionUri: vscode.Uri;
  private readonly controller: ChatController;
  private readonly connect: SurfaceFactory;
  private readonly panels = new Map<vscode.WebviewPanel, ChatSurface>();
  private readonly titles: Disposable;
  private title = UNTITLED;

  constructor(extensionUri: vscode.Uri, controller: ChatController, connect: SurfaceFactory) {
    this.extensionUri = extensionUri;
    this.controller = controller;
    this.connect = connect;
    // Every surface shows the window's one thread, so each snapshot read names every panel's thread.
    this.titles = controller.onSnapshot((snapshot) => this.retitle(snapshot.thread.title));
  }

  /** Reveals the open panel, or opens one. */
  open(): ChatSurface {
    const [existing] = this.panels;
    if (existing) {
      existing[0].reveal(existing[0].viewColumn);
      return existing[1];
    }
    // Beside the file being edited, so answers and "Insert at Cursor" land next to it, not over it.
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(PANEL_VIEW_TYPE, this.title, column, webviewOptions(this.extensionUri));
    return this.adopt(panel);
  }

  /** The panel's chat when the panel is the active editor. */
  activeSurface(): ChatSurface | undefined {
    for (const [panel, surface] of this.panels) if (panel.active) return surface;
    return undefined;
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const parsed = restoredState.safeParse(state ?? {});
    const threadId = parsed.success ? parsed.data.threadId : undefined;
    if (threadId) await this.controller.switchTo(threadId);
    this.adopt(panel);
  }

  dispose(): void {
    this.titles.dispose();
    for (const panel of [...this.panels.keys()]) panel.dispose();
  }

  private retitle(title: string): void {
    // A title of only spaces would leave the tab blank.
    this.title = title.trim() === '' ? UNTITLED : title;
    for (const panel of this.panels.keys()) if (panel.title !== this.title) panel.title = this.title;
  }

  private adopt(panel: vscode.WebviewPanel): ChatSurface {
    // Tab icons are drawn as images, where `currentColor` would be black: one file per theme.
    panel.iconPath = {
      light: vscode.Uri.joinPath(this.extensionUri, 'media', 'sessionChatLight.svg'),
      dark: vscode.Uri.joinPath(this.extensionUri, 'media', 'sessionChatDark.svg'),
    };
    panel.webview.options = webviewOptions(this.extensionUri);
    // A restored panel comes back with the title it had; a new one with the last known thread's.
    if (panel.title !== this.title && this.title !== UNTITLED) panel.title = this.title;
    const surface = this.connect(panel.webview);
    this.panels.set(panel, surface);
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri);
    const viewState = panel.onDidChangeViewState(() => {
      if (!panel.visible) surface.hidden();
    });
    panel.onDidDispose(() => {
      viewState.dispose();
      this.panels.delete(panel);
      this.controller.detach(surface);
    });
    return surface;
  }
}
