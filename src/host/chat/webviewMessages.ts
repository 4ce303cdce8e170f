import * as vscode from 'vscode';
import type { WebviewMessage } from '../../shared/protocol.ts';
import type { ChatController } from './chatController.ts';
import type { ChatSender } from './chatSender.ts';
import type { ChatSurface, SurfaceHandler } from '../surfaces/chatSurface.ts';
import { copyCode, insertCode, type EditorTracker } from '../surfaces/editorActions.ts';
import { SETTINGS_SECTION } from '../platform/settings.ts';
import { olderTurns } from './snapshot.ts';

/** What the webview's messages act on. */
export interface MessageDeps {
  controller: ChatController;
  sender: ChatSender;
  editors: EditorTracker;
  log: vscode.LogOutputChannel;
}

/** Routes each validated webview message to the part of the host that answers it. */
export function createMessageHandler(deps: MessageDeps): SurfaceHandler {
  return (surface, message) => {
    handle(deps, surface, message).catch((error: unknown) => {
      const text = error instanceof Error ? error.message : String(error);
      deps.log.error(`Handling ${message.type} failed: ${text}`);
      // The webview waits for an answer to its request: end it rather than leave it spinning.
      if (message.type === 'chat/send' || message.type === 'chat/retry') {
        surface.post({ type: 'chat/error', id: message.id, error: { message: `Could not send: ${text}`, actions: [] } });
      }
    });
  };
}

async function handle(deps: MessageDeps, surface: ChatSurface, message: WebviewMessage): Promise<void> {
  const { controller, sender } = deps;
  switch (message.type) {
    case 'ready':
      controller.sendSnapshot(surface);
      return;
    case 'chat/send':
      await sender.send(message.text, message.id, surface);
      return;
    case 'chat/retry':
      await sender.retry(message.id, surface);
      return;
    case 'chat/abort':
      sender.abort(message.id);
      return;
    case 'thread/loadOlder':
      loadOlder(deps, surface, message.id, message.beforeIndex);
      return;
    case 'code/insert':
      await insertCode(deps.editors, message.code);
      return;
    case 'code/copy':
      await copyCode(message.code);
      return;
    case 'command/run':
      if (message.command === 'openSettings') await vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS_SECTION);
      else await vscode.commands.executeCommand(`sessionChat.${message.command}`);
      return;
  }
}

function loadOlder(deps: MessageDeps, surface: ChatSurface, id: string, beforeIndex: number): void {
  try {
    const value = olderTurns(deps.controller.store, deps.controller.threadId(), beforeIndex);
    surface.post({ type: 'reply', id, ok: true, value });
  } catch (error) {
    deps.log.error(`Loading older turns failed: ${String(error)}`);
    surface.post({ type: 'reply', id, ok: false, error: 'Could not load older messages.' });
  }
}
