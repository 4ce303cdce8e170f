import * as vscode from 'vscode';
import type { HistoryEditResult } from '../../core/store/historyStore.ts';
import { turnsToMarkdown } from '../../core/view/markdown.ts';
import type { Disposable } from '../platform/disposable.ts';
import { commandArgs } from './commandArgs.ts';
import { registerCommand, threadLabel, type CommandDeps } from './commandContext.ts';
import { targetUriOf } from './transferUi.ts';

/** Open Chat, Undo/Redo Last Turn, Clear Session, Export Thread, Save Again (an unsaved answer). */
export function registerChatCommands(deps: CommandDeps): Disposable[] {
  return [
    registerCommand(deps, 'openChat', () => {
      // Only the panel takes the cursor; a side-bar view stays as it is.
      deps.panels.open().post({ type: 'ui/focusInput' });
    }),
    registerCommand(deps, 'undoTurn', async () => told(await deps.controller.undo(), 'undo')),
    registerCommand(deps, 'redoTurn', async () => told(await deps.controller.redo(), 'redo')),
    registerCommand(deps, 'clearSession', (arg) => clearSession(deps, arg)),
    registerCommand(deps, 'exportThread', (arg) => exportThread(deps, targetUriOf(arg))),
    registerCommand(deps, 'saveAnswer', () => saveAnswer(deps)),
  ];
}

/** Says why nothing happened, when nothing did; true when the history changed. */
function told(result: HistoryEditResult, what: 'undo' | 'redo'): boolean {
  if (result.status === 'nothing') void vscode.window.showInformationMessage(`Session Chat: nothing to ${what} in this thread.`);
  if (result.status === 'conflict') {
    void vscode.window.showInformationMessage(`Session Chat: the thread changed in another window or program since, so there is nothing left to ${what} safely.`);
  }
  return result.status === 'done';
}

async function clearSession(deps: CommandDeps, arg: unknown): Promise<number | undefined> {
  const { controller } = deps;
  const title = await threadLabel(deps, await controller.threadId());
  if (!commandArgs('clearSession', arg)) {
    const answer = await vscode.window.showWarningMessage(
      `Clear every message of "${title}"?`,
      { modal: true, detail: 'You can bring them back with Undo Last Turn.' },
      'Clear',
    );
    if (answer !== 'Clear') return undefined;
  }
  const { threadId, removed } = await controller.clear();
  // Not awaited: the command finishes now; the button stays usable while the toast is up.
  void vscode.window.showInformationMessage(`Session Chat: cleared "${title}" (${removed} items).`, 'Undo').then(async (choice) => {
    if (choice !== 'Undo') return;
    const restored = await controller.undoClear(threadId);
    if (restored.status !== 'done') void vscode.window.showInformationMessage('Session Chat: the clear can no longer be undone; the thread has changed since.');
  });
  return removed;
}

/** The panel's Save Again: stores an answer that arrived but could not be saved. */
async function saveAnswer(deps: CommandDeps): Promise<boolean> {
  const outcome = await deps.controller.saveAnswer();
  if (outcome === 'nothing') void vscode.window.showInformationMessage('Session Chat: there is no unsaved answer in this thread.');
  return outcome === 'saved';
}

/**
 * The thread as Markdown: opened as a new document to read and save, or, given a target `Uri`
 * (scripts), written there and opened from there.
 */
async function exportThread(deps: CommandDeps, target: vscode.Uri | undefined): Promise<vscode.TextDocument> {
  const { title, pinned, turns } = await deps.controller.wholeThread();
  const content = turnsToMarkdown(title, turns, { pinned });
  if (target) await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(content));
  const document = target ? await vscode.workspace.openTextDocument(target) : await vscode.workspace.openTextDocument({ language: 'markdown', content });
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}
