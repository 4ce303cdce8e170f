import * as vscode from 'vscode';

/** Key of a window without a workspace: its threads are shared by all empty windows. */
export const EMPTY_WINDOW_KEY = 'empty-window';

/**
 * Identifies the workspace whose threads this window shows: the saved workspace file, else the
 * first folder (URI strings keep the remote authority, so a folder over SSH is not the local one),
 * else the empty-window key. An untitled multi-root workspace has no file of its own that lasts,
 * so its first folder names it: adding a folder to a window keeps the threads it had.
 */
export function currentWorkspaceKey(): string {
  const file = vscode.workspace.workspaceFile;
  if (file && file.scheme !== 'untitled') return file.toString();
  return vscode.workspace.workspaceFolders?.[0]?.uri.toString() ?? EMPTY_WINDOW_KEY;
}
