// Finds the installed Session Chat extension and activates it; the suite talks to it through its API.
import * as vscode from 'vscode';

/** The extension's id: `publisher.name` from package.json. */
export const extensionId = 'session-chat.session-chat';

/** Returns the extension (it must be installed: the harness installs the packaged VSIX). */
export function sessionChatExtension(): vscode.Extension<unknown> {
  const extension = vscode.extensions.getExtension(extensionId);
  if (!extension) throw new Error(`${extensionId} is not installed in this VS Code`);
  return extension;
}

/** Activates the extension and returns what activate() returned. */
export async function activateApi<T>(): Promise<T> {
  return (await sessionChatExtension().activate()) as T;
}

/** Command ids the installed extension's package.json contributes. */
export function contributedCommands(): string[] {
  const manifest = sessionChatExtension().packageJSON as { contributes?: { commands?: { command: string }[] } };
  return (manifest.contributes?.commands ?? []).map((entry) => entry.command);
}
