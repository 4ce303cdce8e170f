// Finds the installed Session Chat extension, activates it and opens its panel; the suite drives it
// through the API activate() returns (src/host/api.ts) and its commands, as a user's keybindings would.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as vscode from 'vscode';
import type { HistoryStore } from '../../../src/core/store/historyStore.ts';
import type { SessionChatApi } from '../../../src/host/api.ts';
import type { Snapshot } from '../../../src/shared/protocol.ts';
import { waitFor } from './waitFor.ts';

/** The extension's id: `publisher.name` from package.json. */
export const extensionId = 'session-chat.session-chat';

/** Returns the extension (it must be installed: the harness installs the packaged VSIX). */
export function sessionChatExtension(): vscode.Extension<SessionChatApi> {
  const extension = vscode.extensions.getExtension<SessionChatApi>(extensionId);
  if (!extension) throw new Error(`${extensionId} is not installed in this VS Code`);
  return extension;
}

/** Activates the extension, loads its chat (activation alone does not) and returns its API. */
export async function activateApi(): Promise<SessionChatApi> {
  const api = await sessionChatExtension().activate();
  await api.ready();
  return api;
}

/** The history store the API exposes in test mode (the harness runs the extension in test mode). */
export function storeOf(api: SessionChatApi): HistoryStore {
  assert.ok(api.store, 'the API exposes the store in test mode');
  return api.store;
}

/** A raw connection to the extension's database, as another program would hold one. */
export interface RawDatabase {
  prepare(sql: string): { run(...params: unknown[]): unknown };
  exec(sql: string): void;
  close(): void;
}

/**
 * A second connection to the extension's file, standing in for another program (the Python SDK)
 * writing to it. It uses the very SQLite the store runs on (the extension's own better-sqlite3,
 * loaded from the same path, so the same module): a connection of a second SQLite copy in this
 * process (node:sqlite) would, when closed, drop the store's POSIX locks on the file, and a later
 * connection could then reset the WAL index under the store.
 */
export function openLikeTheStore(api: SessionChatApi): RawDatabase {
  assert.ok(api.databasePath, 'the API names the database in test mode');
  if (api.driver === 'better-sqlite3') {
    const load = createRequire(path.join(sessionChatExtension().extensionPath, 'package.json'));
    const Database = load('better-sqlite3') as new (file: string) => RawDatabase;
    return new Database(api.databasePath);
  }
  const sqlite = process.getBuiltinModule?.('node:sqlite') as { DatabaseSync: new (file: string) => RawDatabase } | undefined;
  assert.ok(sqlite, 'node:sqlite in the extension host');
  return new sqlite.DatabaseSync(api.databasePath);
}

/** Command ids the installed extension's package.json contributes. */
export function contributedCommands(): string[] {
  const manifest = sessionChatExtension().packageJSON as { contributes?: { commands?: { command: string }[] } };
  return (manifest.contributes?.commands ?? []).map((entry) => entry.command);
}

/** Opens the chat panel and waits until it has rendered a snapshot of the current thread. */
export async function openChat(api: SessionChatApi): Promise<Snapshot> {
  await vscode.commands.executeCommand('sessionChat.openChat');
  return panelShows(api, (snapshot) => snapshot.thread.id === api.currentThreadId(), 'the panel to show the current thread');
}

/** Waits until the panel's latest snapshot satisfies `check`; returns that snapshot. */
export async function panelShows(api: SessionChatApi, check: (snapshot: Snapshot) => boolean, what: string): Promise<Snapshot> {
  let last: Snapshot | undefined;
  await waitFor(() => {
    last = api.lastSnapshot();
    return last !== undefined && check(last);
  }, `${what} (last snapshot: ${JSON.stringify(last && { thread: last.thread, turns: last.turns.length, canUndo: last.canUndo, canRedo: last.canRedo })})`);
  return last as Snapshot;
}

/** The user texts of a snapshot's turns, oldest first. */
export function userTexts(snapshot: Snapshot): string[] {
  return snapshot.turns.flatMap((turn) => turn.entries.flatMap((entry) => (entry.kind === 'user' ? [entry.text] : [])));
}

/** Runs a Session Chat command with its test-friendly argument (no dialogs). */
export function command<T>(name: string, arg?: unknown): Thenable<T> {
  return vscode.commands.executeCommand<T>(`sessionChat.${name}`, arg);
}
