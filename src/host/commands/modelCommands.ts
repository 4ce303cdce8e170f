import * as vscode from 'vscode';
import { commandArgs } from './commandArgs.ts';
import { registerCommand, type CommandDeps } from './commandContext.ts';
import type { Disposable } from '../platform/disposable.ts';
import { keyOrigin } from '../platform/apiKeys.ts';
import { readSettings, redactUrl, SETTINGS_SECTION, writeModelChoice } from '../platform/settings.ts';
import { pickModelChoice, type ModelChoice } from './modelPick.ts';

/** Set API Key and Select Model. */
export function registerModelCommands(deps: CommandDeps): Disposable[] {
  return [
    registerCommand(deps, 'setApiKey', (arg) => setApiKey(deps, arg)),
    registerCommand(deps, 'selectModel', (arg) => selectModel(deps, arg)),
  ];
}

/** Saves (or removes) the key of the server the base URL names now; no other server ever gets it. */
async function setApiKey(deps: CommandDeps, arg: unknown): Promise<boolean> {
  const { baseUrl } = readSettings();
  const origin = keyOrigin(baseUrl);
  if (!origin) {
    void vscode.window.showErrorMessage(`Session Chat: the base URL in settings (${redactUrl(baseUrl)}) is not an http(s) URL, so there is no server to save a key for.`, 'Open Settings').then((choice) => {
      if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', `${SETTINGS_SECTION}.baseUrl`);
    });
    return false;
  }
  const given = commandArgs('setApiKey', arg)?.key;
  const key =
    given ??
    (await vscode.window.showInputBox({
      title: `Session Chat: Set API Key for ${origin}`,
      prompt: `API key for ${origin}${baseUrlFromWorkspace() ? ", the server this workspace's settings name" : ''}. It is sent only to this server and kept in VS Code's secret storage; leave empty to remove it.`,
      password: true,
      ignoreFocusOut: true,
    }));
  if (key === undefined) return false;
  // The URL read before the prompt: a settings change while the user typed must not redirect the key.
  await deps.keys.set(baseUrl, key);
  const removed = key.trim() === '';
  // The panel's "Set up a model" card asks again whether a usable model is configured.
  deps.controller.refresh();
  deps.log.info(removed ? `API key for ${origin} removed.` : `API key for ${origin} stored in SecretStorage.`);
  if (given === undefined) {
    void vscode.window.showInformationMessage(removed ? `Session Chat: API key for ${origin} removed.` : `Session Chat: API key saved for ${origin}.`);
  }
  return true;
}

/** True when the base URL comes from this workspace's settings rather than the user's own. */
function baseUrlFromWorkspace(): boolean {
  const inspected = vscode.workspace.getConfiguration(SETTINGS_SECTION).inspect<string>('baseUrl');
  return inspected?.workspaceValue !== undefined || inspected?.workspaceFolderValue !== undefined;
}

/**
 * Select Model: the pick of every source's models, or for scripts `{ model, source? }` (source
 * absent = the one in settings). Writes `sessionChat.modelSource` and `sessionChat.model`; returns
 * what was chosen.
 */
async function selectModel(deps: CommandDeps, arg: unknown): Promise<ModelChoice | undefined> {
  const settings = readSettings();
  const given = commandArgs('selectModel', arg);
  const name = given?.model.trim();
  const choice = name ? { source: given?.source ?? settings.modelSource, model: name } : await pickModelChoice(deps, settings);
  if (!choice) return undefined;
  await writeModelChoice(choice.source, choice.model);
  deps.log.info(`Model: ${choice.model} (${choice.source === 'vscode' ? "VS Code's Language Model API" : redactUrl(settings.baseUrl)}).`);
  deps.controller.refresh();
  return choice;
}
