import * as vscode from 'vscode';
import { gitIdentity } from '../../core/workspace/gitIdentity.ts';
import { currentWorkspaceKey } from '../platform/workspaceKey.ts';

/** Where the chat keeps its history (`sessionChat.storage`). */
export type StorageKind = 'local' | 'postgres';

export const STORAGE_SETTING = 'sessionChat.storage';

/** The one secret of the PostgreSQL connection string: SecretStorage only, never settings, logs or messages. */
export const CONNECTION_SECRET = 'sessionChat.postgres.connectionString';

export function readStorageKind(): StorageKind {
  return vscode.workspace.getConfiguration('sessionChat').get<string>('storage') === 'postgres' ? 'postgres' : 'local';
}

/** Writes the user's setting (the setting is machine-scoped: no workspace can switch a user's store). */
export async function writeStorageKind(kind: StorageKind): Promise<void> {
  await vscode.workspace.getConfiguration('sessionChat').update('storage', kind, vscode.ConfigurationTarget.Global);
}

/**
 * The workspace key on a shared PostgreSQL: the first folder's git repository (its main remote,
 * normalised, and the folder's path inside it; see gitIdentity.ts), so the clones of one project on
 * several machines share their threads; without a repository with a remote, or for a folder that
 * is not on this machine's disk, the same key as the local store (the folder or workspace URI).
 */
export function travellingWorkspaceKey(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  if (folder?.scheme === 'file') {
    const identity = gitIdentity(folder.fsPath);
    if (identity) return identity.key;
  }
  return currentWorkspaceKey();
}

/** A local store's workspace key as PostgreSQL keys the same folder (for Copy Local History). */
export function travellingKeyOf(localKey: string): string {
  try {
    const uri = vscode.Uri.parse(localKey, true);
    if (uri.scheme !== 'file' || localKey.endsWith('.code-workspace')) return localKey;
    return gitIdentity(uri.fsPath)?.key ?? localKey;
  } catch {
    return localKey;
  }
}
