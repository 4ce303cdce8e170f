import { stat } from 'node:fs/promises';
import * as vscode from 'vscode';
import { readImportSources, listVsCodeChatSessions } from '../../core/transfer/importSources.ts';
import { chooseWorkspace, countResult, newTally, summarize } from '../../core/transfer/importTally.ts';
import type { ImportTally } from '../../core/transfer/importTally.ts';
import type { Disposable } from '../platform/disposable.ts';
import { registerCommand, type CommandDeps } from './commandContext.ts';
import { sourceUrisOf, withOptionalProgress } from './transferUi.ts';
import { vsCodeChatFolders } from './vsCodeChatFolders.ts';

/** Where this extension's storage is: VS Code's own chat sessions sit beside it. */
export interface StorageUris {
  workspace: vscode.Uri | undefined;
  global: vscode.Uri;
}

/** What an import returns to scripts and tests: the counts, what was skipped, the summary shown. */
export interface ImportOutcome {
  imported: number;
  items: number;
  unchanged: number;
  skipped: Array<{ source: string; reason: string }>;
  firstThreadId: string | undefined;
  cancelled: boolean;
  message: string;
}

/** Import History..., Import from VS Code Chat... */
export function registerImportCommands(deps: CommandDeps, storage: StorageUris): Disposable[] {
  return [
    registerCommand(deps, 'importHistory', async (arg) => {
      const uris = sourceUrisOf(arg) ?? (await askSources());
      return uris ? importFrom(deps, uris.map((uri) => uri.fsPath)) : undefined;
    }),
    registerCommand(deps, 'importVsCodeChat', (arg) => importVsCodeChat(deps, storage, arg)),
  ];
}

/**
 * Files or folders from the open dialog. Desktop VS Code on Windows and Linux cannot offer files
 * and folders in one dialog (it would show folders only), so there the user says which first.
 */
async function askSources(): Promise<vscode.Uri[] | undefined> {
  const both = vscode.env.uiKind === vscode.UIKind.Web || process.platform === 'darwin';
  let folders = false;
  if (!both) {
    const choice = await vscode.window.showQuickPick(
      [
        { label: 'Files...', detail: 'Session Chat exports, Agents SDK SQLite files, VS Code chat sessions, Continue sessions' },
        { label: 'A folder...', detail: 'Everything recognisable inside it, e.g. Cline or Roo Code tasks, ~/.continue/sessions' },
      ],
      { title: 'Session Chat: Import History', placeHolder: 'Import from files or from a folder?' },
    );
    if (!choice) return undefined;
    folders = choice.label === 'A folder...';
  }
  return vscode.window.showOpenDialog({
    title: 'Session Chat: Import History',
    openLabel: 'Import',
    canSelectFiles: both || !folders,
    canSelectFolders: both || folders,
    canSelectMany: true,
  });
}

/**
 * Imports every thread the paths hold, one transaction per thread, idempotently (see
 * HistoryStore.importThread). A file that cannot be read is skipped with its reason and the rest
 * goes on; cancelling keeps the threads finished before it. Ends with one summary notification.
 */
export async function importFrom(deps: CommandDeps, paths: readonly string[]): Promise<ImportOutcome> {
  const { controller, log } = deps;
  const store = controller.store;
  const current = controller.workspaceKey();
  const known = new Set((await store.listThreads()).map((t) => t.workspaceKey));
  known.add(current);
  const tally = newTally();
  const big = paths.length > 1 || (await anyLarge(paths));
  await withOptionalProgress(big, 'Session Chat: importing history', async (report, signal) => {
    for await (const event of readImportSources(paths, { signal })) {
      if (event.kind === 'skipped') {
        tally.skipped.push(event.skipped);
        log.warn(`Import skipped ${event.skipped.source}: ${event.skipped.reason}`);
        continue;
      }
      const { record } = event;
      try {
        countResult(tally, await store.importThread(record, chooseWorkspace(record.workspaceKey, current, known)));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        tally.skipped.push({ source: `${event.source}#${record.title}`, reason });
        log.warn(`Import skipped "${record.title}" of ${event.source}: ${reason}`);
      }
      report(0, `${tally.imported + tally.unchanged} threads, ${tally.items.toLocaleString('en-US')} items`);
    }
    tally.cancelled = signal.aborted;
  });
  if (tally.imported > 0) controller.refresh();
  return tell(deps, tally);
}

function tell(deps: CommandDeps, tally: ImportTally): ImportOutcome {
  const current = deps.controller.workspaceKey();
  const message = summarize(tally, (key) => (key === current ? 'this workspace' : workspaceLabel(key)));
  deps.log.info(`Import: ${message}`);
  const first = tally.first;
  const show = tally.skipped.length > 0 || tally.cancelled ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
  void show(`Session Chat: ${message}`, ...(first ? ['Open Thread'] : [])).then(async (choice) => {
    if (choice !== 'Open Thread' || !first) return;
    if (await deps.controller.switchTo(first.id)) deps.panels.open().post({ type: 'ui/focusInput' });
  });
  return {
    imported: tally.imported,
    items: tally.items,
    unchanged: tally.unchanged,
    skipped: tally.skipped,
    firstThreadId: first?.id,
    cancelled: tally.cancelled,
    message,
  };
}

/** A workspace key (a folder or workspace-file URI) as the user knows it: its last path segment. */
function workspaceLabel(key: string): string {
  try {
    const uri = vscode.Uri.parse(key, true);
    const name = uri.path.split('/').filter(Boolean).pop();
    return name ? `workspace "${decodeURIComponent(name)}"` : key;
  } catch {
    return key;
  }
}

async function anyLarge(paths: readonly string[]): Promise<boolean> {
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (info && (info.isDirectory() || info.size > 1_000_000)) return true;
  }
  return false;
}

/**
 * Lists VS Code's own chat sessions of this workspace (its `chatSessions` folder in workspace
 * storage, or the empty window's) to choose from, newest first, and imports the chosen ones.
 * `{ all: true }` imports every one without asking (scripts and tests).
 */
async function importVsCodeChat(deps: CommandDeps, storage: StorageUris, arg: unknown): Promise<ImportOutcome | undefined> {
  const folders = vsCodeChatFolders(storage);
  const sessions = (await Promise.all(folders.map((folder) => listVsCodeChatSessions(folder)))).flat().sort((a, b) => b.lastMessageAt - a.lastMessageAt);
  if (sessions.length === 0) {
    const choice = await vscode.window.showInformationMessage(
      `Session Chat: found no VS Code chat sessions for this workspace (looked in ${folders.join(' and ')}).`,
      'Import History...',
    );
    if (choice) await vscode.commands.executeCommand('sessionChat.importHistory');
    return undefined;
  }
  const all = typeof arg === 'object' && arg !== null && (arg as { all?: unknown }).all === true;
  const chosen = all
    ? sessions
    : (
        await vscode.window.showQuickPick(
          sessions.map((session) => ({
            label: session.title,
            description: new Date(session.lastMessageAt).toLocaleString(),
            detail: `${session.requests} request${session.requests === 1 ? '' : 's'}`,
            picked: true,
            session,
          })),
          { title: 'Session Chat: Import from VS Code Chat', placeHolder: 'Choose the chat sessions to import', canPickMany: true },
        )
      )?.map((item) => item.session);
  if (!chosen || chosen.length === 0) return undefined;
  return importFrom(deps, chosen.map((session) => session.file));
}
