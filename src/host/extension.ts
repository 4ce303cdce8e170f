// The light activation (dist/extension.js): it registers what VS Code must find at once (the commands, the
// panel's restorer, the side-bar view, the history tool) as stand-ins that load the chat (dist/chat.js, see
// chatHost.ts) on first use. No database, model client or schema library is loaded here.
import * as vscode from 'vscode';
import type { SessionChatApi } from './api.ts';
import type { LoadedApi } from './chatHost.ts';
import { ChatLoader } from './chatLoader.ts';
import { COMMAND_IDS } from './commands/commandIds.ts';
import { DisposableStore } from './platform/disposable.ts';
import { VIEW_ID } from './surfaces/chatViewProvider.ts';
import { EditorTracker } from './surfaces/editorActions.ts';
import { HistoryTool } from './surfaces/historyTool.ts';
import { PANEL_VIEW_TYPE } from './surfaces/surfaceIds.ts';

let loader: ChatLoader | undefined;

export function activate(context: vscode.ExtensionContext): SessionChatApi {
  const started = performance.now();
  const disposables = new DisposableStore();
  context.subscriptions.push(disposables);
  const log = disposables.add(vscode.window.createOutputChannel('Session Chat', { log: true }));
  const editors = disposables.add(new EditorTracker());
  const standIns = disposables.add(new DisposableStore());
  const chat = new ChatLoader({ context, log, editors, beforeCommands: () => standIns.dispose() });
  loader = chat;

  // VS Code runs a command only once activate() has returned; each stand-in loads the chat, which swaps
  // the stand-ins for the real commands, and then runs the real one with the same arguments.
  for (const id of Object.values(COMMAND_IDS)) {
    standIns.add(
      vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        await chat.load();
        return vscode.commands.executeCommand(id, ...args);
      }),
    );
  }
  disposables.add(
    vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state) => (await chat.load()).panels.deserializeWebviewPanel(panel, state),
    }),
  );
  disposables.add(
    vscode.window.registerWebviewViewProvider(VIEW_ID, {
      resolveWebviewView: async (view) => (await chat.load()).views.resolveWebviewView(view),
    }),
  );
  disposables.add(new HistoryTool(async (input) => (await chat.load()).searchHistory(input), log));

  log.info(`Activated in ${(performance.now() - started).toFixed(1)} ms (the chat loads when first used)`);
  return lazyApi(chat);
}

/** Stops running requests (they store their partial answers) before the database closes. */
export async function deactivate(): Promise<void> {
  const host = loader?.loaded;
  loader = undefined;
  await host?.stop();
}

/**
 * The API (see api.ts) before the chat is loaded: `ready()` loads it, the async calls load it
 * themselves, and the rest, which answer at once, need it loaded first.
 */
function lazyApi(chat: ChatLoader): SessionChatApi {
  const now = (): LoadedApi => {
    const host = chat.loaded;
    if (!host) throw new Error('Session Chat is not loaded yet: await ready() first.');
    return host.api;
  };
  const later = async (): Promise<LoadedApi> => (await chat.load()).api;
  return {
    ready: async () => void (await chat.load()),
    get driver() {
      return now().driver;
    },
    get store() {
      return now().store;
    },
    get databasePath() {
      return now().databasePath;
    },
    workspaceKey: () => now().workspaceKey(),
    currentThreadId: () => now().currentThreadId(),
    lastSnapshot: () => chat.loaded?.api.lastSnapshot(),
    send: async (text) => (await later()).send(text),
    editQuestion: async (turnId, text, expectedLastRowId) => (await later()).editQuestion(turnId, text, expectedLastRowId),
    regenerate: async (turnId, expectedLastRowId) => (await later()).regenerate(turnId, expectedLastRowId),
    switchVersion: async (turnId, direction, expectedLastRowId) => (await later()).switchVersion(turnId, direction, expectedLastRowId),
    forkThread: async (turnId) => (await later()).forkThread(turnId),
    selectAgent: async (name) => (await later()).selectAgent(name),
    stop: async (requestId) => (await later()).stop(requestId),
  };
}
