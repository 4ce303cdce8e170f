import type * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController.ts';
import type { ChatSurface, SurfaceFactory } from './chatSurface.ts';
import { webviewHtml, webviewOptions } from './webviewHtml.ts';

/** Id of the side-bar view (package.json `contributes.views`). */
export const VIEW_ID = 'sessionChat.view';

/** The same chat as a view in its own activity-bar container. */
export class ChatViewProvider implements vscode.WebviewViewProvider {
  private readonly extensionUri: vscode.Uri;
  private readonly controller: ChatController;
  private readonly connect: SurfaceFactory;
  private shown: { view: vscode.WebviewView; surface: ChatSurface } | undefined;

  constructor(extensionUri: vscode.Uri, controller: ChatController, connect: SurfaceFactory) {
    this.extensionUri = extensionUri;
    this.controller = controller;
    this.connect = connect;
  }

  /** The view's chat while the view is shown. */
  visibleSurface(): ChatSurface | undefined {
    return this.shown?.view.visible ? this.shown.surface : undefined;
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    view.webview.options = webviewOptions(this.extensionUri);
    const surface = this.connect(view.webview);
    this.shown = { view, surface };
    view.webview.html = webviewHtml(view.webview, this.extensionUri);
    const visibility = view.onDidChangeVisibility(() => {
      if (!view.visible) surface.hidden();
    });
    view.onDidDispose(() => {
      visibility.dispose();
      if (this.shown?.surface === surface) this.shown = undefined;
      this.controller.detach(surface);
    });
  }
}
