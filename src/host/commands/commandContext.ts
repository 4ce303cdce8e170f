import * as vscode from 'vscode';
import type { ChatController } from '../chat/chatController.ts';
import type { Disposable } from '../platform/disposable.ts';
import type { ApiKeyStore } from '../platform/secrets.ts';
import type { PanelManager } from '../surfaces/panelManager.ts';
import { COMMAND_IDS, type CommandName } from './commandIds.ts';

/** What the commands act on. */
export interface CommandDeps {
  controller: ChatController;
  panels: PanelManager;
  keys: ApiKeyStore;
  log: vscode.LogOutputChannel;
}

/**
 * Registers the command `name` of {@link COMMAND_IDS}. A failure is logged and shown (the palette
 * otherwise swallows it) and then rethrown, so `executeCommand` callers such as tests see it too.
 */
export function registerCommand(deps: CommandDeps, name: CommandName, run: (arg: unknown) => unknown): Disposable {
  return vscode.commands.registerCommand(COMMAND_IDS[name], async (arg: unknown) => {
    try {
      return await run(arg);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.log.error(`Command ${name} failed: ${message}`);
      void vscode.window.showErrorMessage(`Session Chat: ${message}`);
      throw error;
    }
  });
}

/** Title of a thread for messages, falling back to its id. */
export async function threadLabel(deps: CommandDeps, threadId: string): Promise<string> {
  return (await deps.controller.store.getThread(threadId))?.title ?? threadId;
}
