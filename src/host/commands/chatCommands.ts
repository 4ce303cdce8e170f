import * as vscode from 'vscode';
import { itemsToTurns } from '../../core/view/itemsToTurns.ts';
import { turnsToMarkdown } from '../../core/view/markdown.ts';
import { commandArgs } from './commandArgs.ts';
import { registerCommand, threadLabel, type CommandDeps } from './commandContext.ts';
import type { Disposable } from '../platform/disposable.ts';

/** Open Chat, Undo/Redo Last Turn, Clear Session, Export Thread. */
export function registerChatCommands(deps: CommandDeps): Disposable[] {
  return [
    registerCommand(deps, 'openChat', () => {
      // Only the panel takes the cursor; a side-bar view stays as it is.
      deps.panels.open().post({ type: 'ui/focusInput' });
    }),
    registerCommand(deps, 'undoTurn', () => undoTurn(deps, deps.controller.threadId())),
    registerCommand(deps, 'redoTurn', () => redoTurn(deps)),
    registerCommand(deps, 'clearSession', (arg) => clearSession(deps, arg)),
    registerCommand(deps, 'exportThread', () => exportThread(deps)),
  ];
}

/**
 * Undo while an answer streams stops it first (keeping nothing of it: the whole turn goes), since
 * the user asking to undo the turn plainly no longer wants its answer.
 */
async function undoTurn(deps: CommandDeps, threadId: string): Promise<boolean> {
  const { controller } = deps;
  await controller.runs.stop(threadId);
  const result = controller.store.undoTurn(threadId);
  controller.errors.delete(threadId);
  controller.refresh();
  if (!result) void vscode.window.showInformationMessage('Session Chat: nothing to undo in this thread.');
  return result !== undefined;
}

/** Redo also stops a running answer first, so restored items never interleave with new ones. */
async function redoTurn(deps: CommandDeps): Promise<boolean> {
  const { controller } = deps;
  const threadId = controller.threadId();
  await controller.runs.stop(threadId);
  const items = controller.store.redoTurn(threadId);
  controller.refresh();
  if (!items) void vscode.window.showInformationMessage('Session Chat: nothing to redo in this thread.');
  return items !== undefined;
}

async function clearSession(deps: CommandDeps, arg: unknown): Promise<number | undefined> {
  const { controller } = deps;
  const threadId = controller.threadId();
  const title = threadLabel(deps, threadId);
  if (!commandArgs('clearSession', arg)) {
    const answer = await vscode.window.showWarningMessage(
      `Clear every message of "${title}"?`,
      { modal: true, detail: 'You can bring them back with Undo Last Turn.' },
      'Clear',
    );
    if (answer !== 'Clear') return undefined;
  }
  await controller.runs.stop(threadId);
  const removed = controller.store.clearThread(threadId);
  controller.errors.delete(threadId);
  controller.refresh();
  // Not awaited: the command finishes now; the button stays usable while the toast is up.
  void vscode.window.showInformationMessage(`Session Chat: cleared "${title}" (${removed} items).`, 'Undo').then((choice) => {
    if (choice === 'Undo') void undoClear(deps, threadId);
  });
  return removed;
}

/** The notification's Undo: restores the Clear, never a turn sent after it. */
async function undoClear(deps: CommandDeps, threadId: string): Promise<void> {
  const { controller } = deps;
  await controller.runs.stop(threadId);
  const restored = controller.store.undoClear(threadId);
  controller.refresh();
  if (!restored) void vscode.window.showInformationMessage('Session Chat: the clear can no longer be undone; the thread has changed since.');
}

async function exportThread(deps: CommandDeps): Promise<vscode.TextDocument> {
  const { controller } = deps;
  const threadId = controller.threadId();
  const markdown = turnsToMarkdown(threadLabel(deps, threadId), itemsToTurns(controller.store.getItems(threadId)));
  const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: markdown });
  await vscode.window.showTextDocument(document, { preview: false });
  return document;
}
