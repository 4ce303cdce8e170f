import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { ImportThreadResult } from '../../core/store/historyStore.ts';
import { checkConnectionString, classifyPgError, describeConnection, troubleWords } from '../../core/store/pg/pgConnection.ts';
import { PgHistoryStore } from '../../core/store/pg/pgHistoryStore.ts';
import { SqliteHistoryStore } from '../../core/store/sqliteHistoryStore.ts';
import type { Disposable } from '../platform/disposable.ts';
import { travellingKeyOf } from '../store/storageSetting.ts';
import type { StoreManager } from '../store/storeManager.ts';
import { COMMAND_IDS } from './commandIds.ts';
import { registerCommand, type CommandDeps } from './commandContext.ts';
import { withOptionalProgress } from './transferUi.ts';

/** The storage commands also need the store's owner and where the local database lives. */
export interface StorageDeps extends CommandDeps {
  manager: StoreManager;
  localDatabase: string;
}

export function registerStorageCommands(deps: StorageDeps): Disposable[] {
  return [
    registerCommand(deps, 'connectPostgres', (arg) => connect(deps, typeof arg === 'string' ? arg : undefined)),
    registerCommand(deps, 'disconnectPostgres', () => disconnect(deps)),
    registerCommand(deps, 'copyLocalToPostgres', () => copyLocalHistory(deps)),
    registerCommand(deps, 'reconnectStore', () => reconnect(deps)),
    registerCommand(deps, 'storageOptions', () => storageOptions(deps)),
  ];
}

/**
 * Asks for a connection string (masked), tests it by connecting and creating or migrating the
 * tables, and only then keeps it (SecretStorage) and switches the chat to it. A script may pass
 * the string as the argument instead of typing it.
 */
async function connect(deps: StorageDeps, given: string | undefined): Promise<boolean> {
  const connectionString = (
    given ??
    (await vscode.window.showInputBox({
      title: 'Session Chat: Connect to PostgreSQL',
      prompt: 'A PostgreSQL 16+ connection string. It is kept in VS Code\'s secret storage only. TLS follows sslmode (disable, require, verify-ca, verify-full).',
      placeHolder: 'postgresql://user:password@host:5432/database?sslmode=require',
      password: true,
      ignoreFocusOut: true,
      validateInput: (value) => {
        const checked = checkConnectionString(value);
        return checked.ok ? undefined : checked.reason;
      },
    }))
  )?.trim();
  if (!connectionString) return false;
  const checked = checkConnectionString(connectionString);
  if (!checked.ok) {
    void vscode.window.showErrorMessage(`Session Chat: ${checked.reason}`);
    return false;
  }
  const where = describeConnection(connectionString);
  let store: PgHistoryStore;
  try {
    store = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Session Chat: connecting to PostgreSQL at ${where}…` }, () =>
      PgHistoryStore.open({ connectionString }),
    );
  } catch (error) {
    const reason = troubleWords(error, connectionString);
    deps.log.warn(`Connect to PostgreSQL at ${where} failed (${classifyPgError(error) ?? 'error'}): ${reason}`);
    const choice = await vscode.window.showErrorMessage(`Session Chat could not use PostgreSQL at ${where}: ${reason}. Nothing was changed; chats stay where they were.`, 'Try Again');
    if (choice) return connect(deps, undefined);
    return false;
  }
  await deps.controller.stopAll();
  await deps.manager.usePostgres(connectionString, store);
  deps.log.info(`Database: ${store.description}`);
  const hasLocal = existsSync(deps.localDatabase);
  void vscode.window
    .showInformationMessage(`Session Chat keeps chats in PostgreSQL at ${where} now.${hasLocal ? ' Your local history stays on this machine until you copy it.' : ''}`, ...(hasLocal ? ['Copy Local History'] : []))
    .then((choice) => {
      if (choice) void vscode.commands.executeCommand(COMMAND_IDS.copyLocalToPostgres);
    });
  return true;
}

/** Back to the local store; the connection string is removed from secret storage (Connect asks again). */
async function disconnect(deps: StorageDeps): Promise<void> {
  if (deps.manager.kind === 'local') {
    void vscode.window.showInformationMessage('Session Chat already keeps chats on this machine (local storage).');
    return;
  }
  await deps.controller.stopAll();
  await deps.manager.useLocal();
  deps.log.info('Storage: local (disconnected from PostgreSQL; the connection string was removed from secret storage)');
  void vscode.window.showInformationMessage('Session Chat keeps chats on this machine again. The PostgreSQL connection string was removed from secret storage; what is stored there stays there.');
}

async function reconnect(deps: StorageDeps): Promise<boolean> {
  if (deps.manager.kind !== 'postgres') return true;
  const ok = await deps.manager.retryNow();
  if (!ok) {
    const state = deps.manager.state;
    const reason = state.kind === 'postgres' ? (state.reason ?? state.status) : '';
    void vscode.window.showWarningMessage(`Session Chat: PostgreSQL still does not answer (${reason}). It keeps trying in the background.`);
  }
  return ok;
}

/** The status bar's click: what can be done from the current state. */
async function storageOptions(deps: StorageDeps): Promise<void> {
  const state = deps.manager.state;
  const items: Array<vscode.QuickPickItem & { command: string }> = [];
  if (state.kind === 'postgres' && state.status !== 'connected' && state.status !== 'notConnected') items.push({ label: '$(refresh) Retry Now', command: COMMAND_IDS.reconnectStore });
  if (state.kind === 'postgres' && state.status === 'connected') items.push({ label: '$(cloud-upload) Copy Local History to PostgreSQL', command: COMMAND_IDS.copyLocalToPostgres });
  items.push({ label: state.kind === 'local' ? '$(database) Connect to PostgreSQL...' : '$(database) Connect to Another PostgreSQL...', command: COMMAND_IDS.connectPostgres });
  if (state.kind === 'postgres') items.push({ label: '$(debug-disconnect) Disconnect from PostgreSQL (use local storage)', command: COMMAND_IDS.disconnectPostgres });
  const picked = await vscode.window.showQuickPick(items, { title: `Session Chat storage: ${deps.manager.store.description}`, placeHolder: 'Choose an action' });
  if (picked) await vscode.commands.executeCommand(picked.command);
}

/** How a copy went, thread by thread. */
type Tally = Record<ImportThreadResult['status'] | 'failed', number>;

/**
 * Copies every thread of the local SQLite database to PostgreSQL through exportThread/importThread
 * (idempotent: a second copy adds nothing, a thread that went on in both places is kept twice).
 * A thread keyed by a folder on this disk lands under that folder's travelling key (its git remote).
 */
async function copyLocalHistory(deps: StorageDeps): Promise<Tally | undefined> {
  const state = deps.manager.state;
  if (state.kind !== 'postgres' || state.status !== 'connected') {
    void vscode.window.showWarningMessage('Session Chat: connect to PostgreSQL first (Session Chat: Connect to PostgreSQL...), then copy the local history there.');
    return undefined;
  }
  if (!existsSync(deps.localDatabase)) {
    void vscode.window.showInformationMessage('Session Chat: there is no local history on this machine to copy.');
    return undefined;
  }
  const local = await SqliteHistoryStore.open(deps.localDatabase);
  const tally: Tally = { created: 0, extended: 0, unchanged: 0, copied: 0, failed: 0 };
  let cancelled = false;
  try {
    const threads = await local.listThreads();
    await withOptionalProgress(true, `Session Chat: copying ${threads.length} threads to PostgreSQL at ${state.where}`, async (report, signal) => {
      for (const [index, thread] of threads.entries()) {
        if (signal.aborted) {
          cancelled = true;
          break;
        }
        report(index / threads.length, thread.title);
        try {
          const record = await local.exportThread(thread.id);
          if (!record) continue;
          tally[(await deps.manager.store.importThread(record, travellingKeyOf(thread.workspaceKey))).status]++;
        } catch (error) {
          tally.failed++;
          deps.log.error(`Copy of thread "${thread.title}" failed: ${deps.manager.redact(error instanceof Error ? error.message : String(error))}`);
          // A server that went away fails every thread after this one: stop here.
          if (deps.manager.state.kind === 'postgres' && deps.manager.state.status !== 'connected') break;
        }
      }
      report(1, 'done');
    });
  } finally {
    await local.close();
  }
  deps.manager.store.changed();
  const summary = `${tally.created} new, ${tally.extended} extended, ${tally.unchanged} already there${tally.copied ? `, ${tally.copied} kept as copies (changed in both places)` : ''}${tally.failed ? `, ${tally.failed} failed (see the log)` : ''}`;
  const message = `Session Chat: ${cancelled ? 'copy cancelled' : 'local history copied'} to PostgreSQL at ${state.where}: ${summary}.`;
  deps.log.info(message);
  void (tally.failed ? vscode.window.showWarningMessage(message) : vscode.window.showInformationMessage(message));
  return tally;
}
