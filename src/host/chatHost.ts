// The chat itself, bundled as dist/chat.js: the database, the controller, the model client (`openai`), the
// schemas (`zod`), the surfaces and the commands. src/host/extension.ts loads it on first use: when a chat
// surface opens, a command runs or an agent calls the history tool; activation itself stays light.
import './platform/zodJitless.ts';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { SqliteHistoryStore, type RecoveredInfo as Recovered } from '../core/store/sqliteHistoryStore.ts';
import type { SessionChatApi } from './api.ts';
import { ChatController } from './chat/chatController.ts';
import { IndexCatchUp } from './chat/indexCatchUp.ts';
import { createMessageHandler } from './chat/webviewMessages.ts';
import { registerChatCommands } from './commands/chatCommands.ts';
import { registerCompactCommands } from './commands/compactCommands.ts';
import { registerContextCommands } from './commands/contextCommands.ts';
import { ChatContext } from './context/chatContext.ts';
import type { CommandDeps } from './commands/commandContext.ts';
import { registerExportCommands } from './commands/exportCommands.ts';
import { registerImportCommands } from './commands/importCommands.ts';
import { registerModelCommands } from './commands/modelCommands.ts';
import { registerSearchCommands } from './commands/searchCommands.ts';
import { registerStorageCommands } from './commands/storageCommands.ts';
import { registerThreadCommands } from './commands/threadCommands.ts';
import { COMMAND_IDS } from './commands/commandIds.ts';
import { DisposableStore, toDisposable, type Disposable } from './platform/disposable.ts';
import { ApiKeyStore } from './platform/secrets.ts';
import { affectsSettings } from './platform/settings.ts';
import { ChatSurface, type SurfaceFactory } from './surfaces/chatSurface.ts';
import { ChatViewProvider } from './surfaces/chatViewProvider.ts';
import type { EditorTracker } from './surfaces/editorActions.ts';
import { runHistoryTool } from './surfaces/historyToolText.ts';
import { PanelManager } from './surfaces/panelManager.ts';
import { STORAGE_SETTING } from './store/storageSetting.ts';
import { StoreManager } from './store/storeManager.ts';
import { storeStatusBar } from './store/storeStatusBar.ts';

/** The API activate() hands out, once the chat is loaded (`ready` is the light part's own). */
export type LoadedApi = Omit<SessionChatApi, 'ready'>;

/** What the light activation lends the chat. */
export interface ChatHostOptions {
  context: vscode.ExtensionContext;
  log: vscode.LogOutputChannel;
  /** Created at activation, so it knows the editor the user worked in before the chat loaded. */
  editors: EditorTracker;
  /** Unregisters the light part's stand-in commands; called right before the real ones are registered. */
  beforeCommands(): void;
}

/** The loaded chat, as the light part and its stand-ins use it. */
export interface ChatHost {
  readonly panels: PanelManager;
  readonly views: ChatViewProvider;
  readonly api: LoadedApi;
  /** The history tool's answer for an agent's input. */
  searchHistory(input: unknown): Promise<string>;
  /** Stops running requests (they store their partial answers), then closes everything. */
  stop(): Promise<void>;
}

export async function startChat({ context, log, editors, beforeCommands }: ChatHostOptions): Promise<ChatHost> {
  const disposables = new DisposableStore();
  context.subscriptions.push(disposables);
  const localDatabase = join(context.globalStorageUri.fsPath, 'sessions.db');
  // The controller is made after the store it shows; a switch tells it through this.
  const late: { controller?: ChatController } = {};
  // The store `sessionChat.storage` names (SQLite here, or PostgreSQL), behind one store that can switch.
  const manager = disposables.add(
    await StoreManager.open({ secrets: context.secrets, log, openLocal: () => openStore(context, log, disposables), beforeSwitch: () => late.controller?.storeSwitched() }),
  );
  const store = manager.store;
  disposables.add(toDisposable(() => void store.close()));

  const keys = new ApiKeyStore(context.secrets);
  const controller = disposables.add(new ChatController(store, keys, log, () => manager.workspaceKey(), context.workspaceState));
  late.controller = controller;
  const chatContext = new ChatContext(context.workspaceState, log, () => controller.refresh());
  controller.context = chatContext;
  const handler = createMessageHandler(controller, editors, log);
  const catchUp = disposables.add(new IndexCatchUp(store, log));
  const connect: SurfaceFactory = (webview) => {
    const surface = new ChatSurface(webview, handler, log);
    controller.attach(surface);
    // A large history without a search index is indexed once a chat is shown, in the background.
    void catchUp.start();
    return surface;
  };
  const panels = disposables.add(new PanelManager(context.extensionUri, controller, connect));
  const views = new ChatViewProvider(context.extensionUri, controller, connect);
  const deps: CommandDeps = { controller, panels, keys, log };
  disposables.add(pinnedContext(controller));
  disposables.add(vscode.workspace.onDidChangeWorkspaceFolders(() => controller.workspaceChanged()));
  disposables.add(
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(STORAGE_SETTING)) void manager.settingChanged().catch((error: unknown) => log.error(`Could not switch the storage: ${manager.redact(String(error))}`));
      else if (affectsSettings(event)) controller.refresh();
    }),
  );
  disposables.add(storeStatusBar(manager, COMMAND_IDS.storageOptions));

  // Last and in one synchronous step: a command run now finds either the stand-in or the real one.
  beforeCommands();
  const searchDeps = { ...deps, views, catchUpIndex: () => void catchUp.start() };
  for (const command of [...registerChatCommands(deps), ...registerThreadCommands(deps), ...registerModelCommands(deps), ...registerSearchCommands(searchDeps)]) {
    disposables.add(command);
  }
  const storage = { workspace: context.storageUri, global: context.globalStorageUri };
  for (const command of [
    ...registerExportCommands(deps),
    ...registerImportCommands(deps, storage),
    ...registerContextCommands(deps, chatContext),
    ...registerStorageCommands({ ...deps, manager, localDatabase }),
    ...registerCompactCommands(deps),
  ]) {
    disposables.add(command);
  }

  const testMode = context.extensionMode === vscode.ExtensionMode.Test;
  const api: LoadedApi = {
    get driver() {
      const backend = store.current;
      return backend instanceof SqliteHistoryStore ? backend.driver : 'postgres';
    },
    store: testMode ? store : undefined,
    get databasePath() {
      const backend = store.current;
      return testMode && backend instanceof SqliteHistoryStore ? backend.dbPath : undefined;
    },
    workspaceKey: () => controller.workspaceKey(),
    currentThreadId: () => controller.peekThreadId(),
    send: (text) => controller.send(text),
    editQuestion: (turnId, text, expectedLastRowId) => controller.editQuestion(turnId, text, { expectedLastRowId }),
    regenerate: (turnId, expectedLastRowId) => controller.regenerate(turnId, { expectedLastRowId }),
    switchVersion: (turnId, direction, expectedLastRowId) => controller.switchVersion(turnId, direction, expectedLastRowId),
    forkThread: (turnId) => controller.fork(turnId),
    lastSnapshot: () => controller.lastSnapshot(),
    selectAgent: (name) => controller.selectAgent(name),
    stop: async (requestId) => controller.abort(requestId),
  };
  return {
    panels,
    views,
    api,
    searchHistory: (input) => runHistoryTool(store, controller.workspaceKey(), input),
    stop: async () => {
      await controller.stopAll();
      disposables.dispose();
    },
  };
}

/** Keeps `sessionChat.threadPinned` right for the shown thread, so the title menus offer Pin or Unpin. */
function pinnedContext(controller: ChatController): Disposable {
  let last: boolean | undefined;
  return controller.onSnapshot((snapshot) => {
    const pinned = snapshot.thread.pinned === true;
    if (pinned === last) return;
    last = pinned;
    void vscode.commands.executeCommand('setContext', 'sessionChat.threadPinned', pinned);
  });
}

/**
 * Opens the one database of this extension host. The chat opens whatever happens to the file: an
 * unusable file gives a temporary store in memory and says which file is the problem; a damaged
 * one is moved aside (never deleted), what can be read is salvaged, and the user is told.
 */
async function openStore(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, disposables: DisposableStore): Promise<SqliteHistoryStore> {
  const folder = context.globalStorageUri.fsPath;
  const path = join(folder, 'sessions.db');
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    log.warn(`Could not create ${folder}: ${String(error)}`);
  }
  const store = await SqliteHistoryStore.openWithFallback(path);
  if (store.driverFallbackReason) {
    log.warn(`SQLite driver: ${store.driver}, because ${store.driverFallbackReason}`);
    void vscode.window.showWarningMessage(`Session Chat is storing chats with Node's built-in SQLite (${store.driver}) because better-sqlite3 could not load on this platform. Your history is safe; see the Session Chat log for details.`);
  } else log.info(`SQLite driver: ${store.driver}`);
  log.info(`Database: ${store.description}`);
  if (store.openError) {
    log.error(`The chat database cannot be used: ${store.openError.message}`);
    void vscode.window
      .showErrorMessage(`Session Chat cannot use its chat database: ${store.openError.message} Until then, chats are kept in memory only and are lost when this window closes.`, 'Reload Window')
      .then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.reloadWindow');
      });
  }
  if (store.recovered) tellRecovered(store.recovered, log);
  const stop = store.onDidRecover((info) => tellRecovered(info, log));
  disposables.add(toDisposable(stop));
  return store;
}

/** Says where a damaged database or an orphaned log went, and what was saved from it. */
function tellRecovered(info: Recovered, log: vscode.LogOutputChannel): void {
  const { threads, items } = info.salvaged;
  const message =
    info.kind === 'orphanWal'
      ? `Session Chat: ${info.reason}. It was moved to ${info.files[0] ?? info.movedTo} (it may hold recent chats); a new database was started.`
      : threads + items > 0
        ? `Session Chat: the chat database was damaged (${info.reason}). It was moved to ${info.movedTo}; ${threads} threads with ${items} messages were recovered into a new database.`
        : `Session Chat: the chat database was damaged (${info.reason}). It was moved to ${info.movedTo}; nothing could be read from it, so a new database was started.`;
  log.warn(message);
  void vscode.window.showWarningMessage(message);
}
