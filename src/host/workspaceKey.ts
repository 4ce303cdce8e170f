import * as vscode from 'vscode';

/** Key of a window without a workspace: its threads are shared by all empty windows. */
export const EMPTY_WINDOW_KEY = 'empty-window';

/**
 * Identifies the workspace whose threads this window shows: the saved workspace file, else the
 * first folder (URI strings keep the remote authority, so a folder over SSH is not the local one),
 * else the empty-window key. An untitled multi-root workspace has no stable file, so its folders
 * (sorted) name it instead.
 */
export function currentWorkspaceKey(): string {
  const file = vscode.workspace.workspaceFile;
  const folders = (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.toString());
  if (file && file.scheme !== 'untitled') return file.toString();
  if (file && folders.length > 0) return `untitled-workspace:${[...folders].sort().join('|')}`;
  return folders[0] ?? EMPTY_WINDOW_KEY;
}
