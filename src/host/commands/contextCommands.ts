import * as vscode from 'vscode';
import type { ChatContext } from '../context/chatContext.ts';
import { chatPath, fileAttachment, problemsAttachment, selectionAttachment } from '../context/editorContext.ts';
import type { Disposable } from '../platform/disposable.ts';
import { COMMAND_IDS } from './commandIds.ts';
import { registerCommand, type CommandDeps } from './commandContext.ts';

/** The active text editor, or a message saying one is needed. */
function activeEditor(): vscode.TextEditor {
  const editor = vscode.window.activeTextEditor;
  if (!editor) throw new Error('Open a file in an editor first.');
  return editor;
}

/** Shows the chat with the cursor in the message box, so the user can ask about what was attached. */
function openChat(): Thenable<unknown> {
  return vscode.commands.executeCommand(COMMAND_IDS.openChat);
}

/** Add Selection / File / Problems to Chat, Ask Session Chat, and revoking "Always allow". */
export function registerContextCommands(deps: CommandDeps, context: ChatContext): Disposable[] {
  return [
    registerCommand(deps, 'addSelection', async () => {
      await context.attachments.add(selectionAttachment(activeEditor()));
      await openChat();
    }),
    registerCommand(deps, 'askSelection', async () => {
      await context.attachments.add(selectionAttachment(activeEditor()));
      await openChat();
    }),
    registerCommand(deps, 'addFile', async (arg) => {
      const uri = arg instanceof vscode.Uri ? arg : await pickFile();
      if (!uri) return;
      await context.attachments.add(await fileAttachment(uri));
      await openChat();
    }),
    registerCommand(deps, 'addProblems', async () => {
      await context.attachments.add(problemsAttachment(activeEditor().document));
      await openChat();
    }),
    registerCommand(deps, 'resetToolApprovals', () => context.approvals.revoke()),
  ];
}

/** A quick pick over the workspace's files (files.exclude applies), the active file first. */
async function pickFile(): Promise<vscode.Uri | undefined> {
  const uris = await vscode.workspace.findFiles('**/*', undefined, 5000);
  if (uris.length === 0) throw new Error('There are no files in this workspace to attach.');
  const active = vscode.window.activeTextEditor?.document.uri.toString();
  const items = uris
    .map((uri) => ({ label: chatPath(uri).split('/').at(-1) ?? '', description: chatPath(uri), uri }))
    .sort((a, b) => Number(b.uri.toString() === active) - Number(a.uri.toString() === active) || a.description.localeCompare(b.description));
  const picked = await vscode.window.showQuickPick(items, { title: 'Add File to Chat', placeHolder: 'Type to find a file', matchOnDescription: true });
  return picked?.uri;
}
