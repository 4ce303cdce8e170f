import * as vscode from 'vscode';
import { StoreUnavailableError } from '../../core/store/switchingStore.ts';
import type { WebviewMessage } from '../../shared/protocol.ts';
import { SETTINGS_SECTION } from '../platform/settings.ts';
import type { ChatSurface, SurfaceHandler } from '../surfaces/chatSurface.ts';
import { copyCode, insertCode, type EditorTracker } from '../surfaces/editorActions.ts';
import type { ChatController } from './chatController.ts';
import { routeMessage, type ChatActions } from './messageRoutes.ts';

/** The actions behind the webview's messages, on this window's chat and editors. */
function chatActions(controller: ChatController, editors: EditorTracker): ChatActions<ChatSurface> {
  return {
    ready: (surface) => controller.sendSnapshot(surface),
    send: (text, id, surface) => controller.send(text, id, surface),
    retry: (id, surface) => controller.retry(id, surface),
    abort: (id) => void controller.abort(id),
    loadOlder: (beforeId) => controller.loadOlder(beforeId),
    find: async (threadId, query) => ({ rowIds: await controller.findInThread(threadId, query) }),
    insertCode: (code) => insertCode(editors, code),
    copyCode: (code) => copyCode(code),
    runCommand: async (command) =>
      command === 'openSettings'
        ? vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS_SECTION)
        : vscode.commands.executeCommand(`sessionChat.${command}`),
    reply: (surface, id, answer) => surface.post({ type: 'reply', id, ...answer }),
    edit: (turnId, text, requestId, expectedLastRowId, surface) => controller.editQuestion(turnId, text, { requestId, expectedLastRowId, origin: surface }),
    regenerate: (turnId, requestId, expectedLastRowId, surface) => controller.regenerate(turnId, { requestId, expectedLastRowId, origin: surface }),
    switchVersion: (turnId, direction, expectedLastRowId) => controller.switchVersion(turnId, direction, expectedLastRowId),
    fork: (turnId) => controller.fork(turnId),
    setupDetect: () => controller.setup.detect(),
    setupListModels: (baseUrl) => controller.setup.listModels(baseUrl),
    setupEnterKey: (baseUrl) => controller.setup.enterKey(baseUrl),
    setupApply: (baseUrl, model, api) => controller.setup.apply(baseUrl, model, api),
    setupUseVscodeModel: (model) => controller.setup.useVscodeModel(model),
    answerTool: async (callId, decision) => controller.context?.approvals.answer(callId, decision),
    removeAttachment: async (id) => controller.context?.attachments.remove(id),
    findFiles: async (query) => (await controller.context?.findFiles(query)) ?? { files: [] },
    addFile: async (path) => controller.context?.addFile(path),
    selectAgent: (name) => controller.selectAgent(name),
  };
}

/** Handles each validated webview message; a failure is logged and ends the request that waits for it. */
export function createMessageHandler(controller: ChatController, editors: EditorTracker, log: vscode.LogOutputChannel): SurfaceHandler {
  const actions = chatActions(controller, editors);
  return (surface, message) => {
    Promise.resolve(routeMessage(actions, surface, message)).catch((error: unknown) => failed(surface, message, error, log));
  };
}

function failed(surface: ChatSurface, message: WebviewMessage, error: unknown, log: vscode.LogOutputChannel): void {
  const text = error instanceof Error ? error.message : String(error);
  log.error(`Handling ${message.type} failed: ${text}`);
  // The webview waits for an answer to its request: end it rather than leave it spinning.
  if (error instanceof StoreUnavailableError && (message.type === 'chat/send' || message.type === 'chat/retry' || message.type === 'turn/edit' || message.type === 'turn/regenerate')) {
    // The history's server is away: nothing was stored (nor anywhere else); the typed message goes back to the box.
    surface.post({ type: 'chat/error', id: message.id, error: { message: `${text} Your message was not sent; it is back in the message box.`, actions: ['reconnectStore'] }, unsent: message.type === 'chat/send' });
  } else if (message.type === 'chat/send' || message.type === 'chat/retry' || message.type === 'turn/edit' || message.type === 'turn/regenerate') {
    surface.post({ type: 'chat/error', id: message.id, error: { message: `Could not send: ${text}`, actions: [] } });
  }
  // Nothing else waits; the panel shows the thread as it is, and the user hears why nothing changed.
  if (message.type === 'turn/switchVersion' || message.type === 'thread/fork') {
    void vscode.window.showErrorMessage(`Session Chat: ${message.type === 'thread/fork' ? 'could not fork the thread' : 'could not switch versions'}: ${text}`);
  }
}
