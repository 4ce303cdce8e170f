import * as vscode from 'vscode';
import type { ThreadInfo } from '../../core/store/historyStore.ts';
import { DEFAULT_TITLE } from '../chat/threadTitle.ts';
import type { Disposable } from '../platform/disposable.ts';
import { commandArgs } from './commandArgs.ts';
import { registerCommand, threadLabel, type CommandDeps } from './commandContext.ts';
import { pickThread } from './threadPick.ts';

/** New, Switch, Rename, Delete, Pin, Unpin and Fork Thread. */
export function registerThreadCommands(deps: CommandDeps): Disposable[] {
  return [
    registerCommand(deps, 'newThread', (arg) => deps.controller.newThread(commandArgs('newThread', arg)?.title?.trim() || DEFAULT_TITLE)),
    registerCommand(deps, 'switchThread', (arg) => switchThread(deps, arg)),
    registerCommand(deps, 'renameThread', (arg) => renameThread(deps, arg)),
    registerCommand(deps, 'deleteThread', (arg) => deleteThread(deps, arg)),
    registerCommand(deps, 'pinThread', (arg) => pinThread(deps, arg, true)),
    registerCommand(deps, 'unpinThread', (arg) => pinThread(deps, arg, false)),
    // Forks at the last turn (or the turn the argument names) and shows the new thread.
    registerCommand(deps, 'forkThread', (arg) => deps.controller.fork(commandArgs('forkThread', arg)?.turnId)),
  ];
}

/** Pins or unpins the given thread, else the shown one; says so when it already was. */
async function pinThread(deps: CommandDeps, arg: unknown, pinned: boolean): Promise<ThreadInfo> {
  const { controller } = deps;
  const threadId = commandArgs(pinned ? 'pinThread' : 'unpinThread', arg)?.threadId ?? (await controller.threadId());
  const thread = await controller.store.getThread(threadId);
  if (!thread) throw new Error(`There is no thread with id ${threadId}.`);
  if (thread.pinned === pinned) {
    void vscode.window.showInformationMessage(`Session Chat: "${thread.title}" is ${pinned ? 'already pinned' : 'not pinned'}.`);
    return thread;
  }
  return controller.setPinned(threadId, pinned);
}

async function switchThread(deps: CommandDeps, arg: unknown): Promise<string | undefined> {
  const { controller } = deps;
  const args = commandArgs('switchThread', arg);
  const threadId = args ? args.threadId : await pickThread(controller.store, controller.workspaceKey(), controller.peekThreadId());
  if (!threadId) return undefined;
  if (!(await controller.switchTo(threadId))) throw new Error(`There is no thread with id ${threadId}.`);
  return threadId;
}

async function renameThread(deps: CommandDeps, arg: unknown): Promise<ThreadInfo | undefined> {
  const { controller } = deps;
  const args = commandArgs('renameThread', arg);
  const threadId = args?.threadId ?? (await controller.threadId());
  const current = await controller.store.getThread(threadId);
  if (!current) throw new Error(`There is no thread with id ${threadId}.`);
  const title = args
    ? args.title
    : await vscode.window.showInputBox({
        title: 'Session Chat: Rename Thread',
        value: current.title,
        prompt: 'New title for this thread',
        validateInput: (value) => (value.trim() === '' ? 'Enter a title.' : value.length > 200 ? 'Keep it under 200 characters.' : undefined),
      });
  if (title === undefined) return undefined;
  if (title.trim() === '') throw new Error('A thread title cannot be empty.');
  return controller.renameThread(threadId, title.trim());
}

async function deleteThread(deps: CommandDeps, arg: unknown): Promise<boolean> {
  const { controller } = deps;
  const args = commandArgs('deleteThread', arg);
  const threadId = args?.threadId ?? (await controller.threadId());
  if (!(await controller.store.getThread(threadId))) throw new Error(`There is no thread with id ${threadId}.`);
  if (!args) {
    const answer = await vscode.window.showWarningMessage(
      `Delete the thread "${await threadLabel(deps, threadId)}"?`,
      { modal: true, detail: 'Its whole history is removed from the database. This cannot be undone.' },
      'Delete',
    );
    if (answer !== 'Delete') return false;
  }
  await controller.deleteThread(threadId);
  return true;
}
