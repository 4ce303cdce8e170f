import { homedir } from 'node:os';
import * as vscode from 'vscode';
import type { ThreadRecord } from '../../core/transfer/threadRecord.ts';
import { writeExportFile } from '../../core/transfer/exportFile.ts';
import type { Disposable } from '../platform/disposable.ts';
import { registerCommand, type CommandDeps } from './commandContext.ts';
import { safeFileName } from '../../core/transfer/fileName.ts';
import { targetUriOf, withOptionalProgress } from './transferUi.ts';

/** What an export command returns to scripts and tests. */
export interface ExportOutcome {
  uri: vscode.Uri;
  threads: number;
  items: number;
  cancelled: boolean;
}

type Scope = 'thread' | 'workspace' | 'all';

/** Export Thread as JSON, Export Workspace History..., Export All History... */
export function registerExportCommands(deps: CommandDeps): Disposable[] {
  return [
    registerCommand(deps, 'exportThreadJson', (arg) => exportHistory(deps, 'thread', arg)),
    registerCommand(deps, 'exportWorkspaceHistory', (arg) => exportHistory(deps, 'workspace', arg)),
    registerCommand(deps, 'exportAllHistory', (arg) => exportHistory(deps, 'all', arg)),
  ];
}

/**
 * Writes the chosen threads to one JSON file (our versioned format, docs/formats/): the target
 * is the command's `Uri` argument or comes from the save dialog. More than a few threads show a
 * cancellable progress notification; a cancelled export keeps the threads finished before it.
 */
async function exportHistory(deps: CommandDeps, scope: Scope, arg: unknown): Promise<ExportOutcome | undefined> {
  const { controller, log } = deps;
  const store = controller.store;
  const workspaceKey = controller.workspaceKey();
  const ids = scope === 'thread' ? [await controller.threadId()] : (await store.listThreads(scope === 'all' ? undefined : workspaceKey)).map((t) => t.id);
  if (ids.length === 0) {
    void vscode.window.showInformationMessage(`Session Chat: there are no threads ${scope === 'all' ? 'to export' : 'in this workspace'}.`);
    return undefined;
  }
  const uri = targetUriOf(arg) ?? (await askTarget(deps, scope, ids[0]!));
  if (!uri) return undefined;
  if (uri.scheme !== 'file') throw new Error(`Exports are written to files on this machine; ${uri.toString()} is not one.`);

  const outcome = await withOptionalProgress(ids.length > 3, `Session Chat: exporting ${ids.length} threads`, async (progress, signal) => {
    let done = 0;
    async function* records(): AsyncGenerator<ThreadRecord> {
      for (const id of ids) {
        if (signal.aborted) return;
        const record = await store.exportThread(id);
        // A thread deleted meanwhile (another window) is simply not in the file.
        if (record) yield record;
        progress(++done / ids.length, `${done} of ${ids.length}`);
      }
    }
    try {
      return await writeExportFile(uri.fsPath, records(), { scope, workspaceKey: scope === 'all' ? undefined : workspaceKey, exportedAt: Date.now() }, signal);
    } catch (error) {
      // The file system's words (EACCES, ENOENT...) with the file named; nothing was left at the target.
      throw new Error(`Could not write ${uri.fsPath}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  });
  log.info(`Exported ${outcome.threads} threads (${outcome.items} items) to ${uri.fsPath}${outcome.cancelled ? ' (cancelled)' : ''}.`);
  const what = `${outcome.threads} thread${outcome.threads === 1 ? '' : 's'}, ${outcome.items.toLocaleString('en-US')} items`;
  const message = outcome.cancelled
    ? `Session Chat: export cancelled; ${vscode.workspace.asRelativePath(uri)} holds the ${what} finished before it.`
    : `Session Chat: exported ${what} to ${vscode.workspace.asRelativePath(uri)}.`;
  void vscode.window.showInformationMessage(message, 'Reveal File').then((choice) => {
    if (choice) void vscode.commands.executeCommand('revealFileInOS', uri);
  });
  return { uri, ...outcome };
}

async function askTarget(deps: CommandDeps, scope: Scope, firstId: string): Promise<vscode.Uri | undefined> {
  const date = new Date().toISOString().slice(0, 10);
  let name: string;
  if (scope === 'thread') name = `${safeFileName((await deps.controller.store.getThread(firstId))?.title ?? 'thread')}.json`;
  else if (scope === 'workspace') name = `session-chat-${safeFileName(vscode.workspace.name ?? 'workspace')}-${date}.json`;
  else name = `session-chat-history-${date}.json`;
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir());
  return vscode.window.showSaveDialog({
    title: `Session Chat: ${scope === 'thread' ? 'Export Thread as JSON' : scope === 'workspace' ? 'Export Workspace History' : 'Export All History'}`,
    saveLabel: 'Export',
    filters: { 'Session Chat export': ['json'] },
    defaultUri: vscode.Uri.joinPath(folder, name),
  });
}
