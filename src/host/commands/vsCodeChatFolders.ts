import * as vscode from 'vscode';
import type { StorageUris } from './importCommands.ts';

/**
 * Where VS Code keeps its own chat sessions for this window, found from this extension's storage:
 * a workspace's are in `workspaceStorage/<hash>/chatSessions/` beside our folder
 * (`workspaceStorage/<hash>/<extension id>`); an empty window's in `globalStorage/emptyWindowChatSessions/`.
 */
export function vsCodeChatFolders(storage: StorageUris): string[] {
  if (storage.workspace) return [vscode.Uri.joinPath(storage.workspace, '..', 'chatSessions').fsPath];
  return [vscode.Uri.joinPath(storage.global, '..', 'emptyWindowChatSessions').fsPath];
}
