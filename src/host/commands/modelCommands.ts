import * as vscode from 'vscode';
import { commandArgs } from './commandArgs.ts';
import { registerCommand, type CommandDeps } from './commandContext.ts';
import type { Disposable } from '../platform/disposable.ts';
import { OpenAiCompatibleSource } from '../../core/model/openAiCompatibleSource.ts';
import { ModelSourceError } from '../../core/model/runError.ts';
import { keyOrigin } from '../platform/apiKeys.ts';
import { readSettings, redactUrl, SETTINGS_SECTION, writeModel, type ChatSettings } from '../platform/settings.ts';

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

async function selectModel(deps: CommandDeps, arg: unknown): Promise<string | undefined> {
  const given = commandArgs('selectModel', arg)?.model.trim();
  const model = given || (await pickModel(deps));
  if (!model) return undefined;
  await writeModel(model);
  deps.controller.refresh();
  return model;
}

interface ModelItem extends vscode.QuickPickItem {
  model: string;
}

/** A pick of the server's models; whatever the user types can be chosen too (servers lie or refuse). */
async function pickModel(deps: CommandDeps): Promise<string | undefined> {
  const settings = readSettings();
  const { models, problem } = await fetchModels(deps, settings);
  const base: ModelItem[] = models.map((model) => ({ label: model, model, description: model === settings.model ? 'current' : undefined }));
  const pick = vscode.window.createQuickPick<ModelItem>();
  pick.title = 'Session Chat: Select Model';
  pick.placeholder = problem ? `Type a model name (${problem})` : `Pick a model of ${redactUrl(settings.baseUrl)} or type a name`;
  pick.items = base;
  const typed = pick.onDidChangeValue((value) => {
    const name = value.trim();
    pick.items = name && !models.includes(name) ? [{ label: name, model: name, description: 'use this name' }, ...base] : base;
  });
  try {
    return await new Promise<string | undefined>((resolve) => {
      pick.onDidAccept(() => {
        resolve(pick.selectedItems[0]?.model ?? (pick.value.trim() || undefined));
        pick.hide();
      });
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
  } finally {
    typed.dispose();
    pick.dispose();
  }
}

async function fetchModels(deps: CommandDeps, settings: ChatSettings): Promise<{ models: string[]; problem?: string }> {
  try {
    const models = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Session Chat: listing models' },
      async () => new OpenAiCompatibleSource({ baseUrl: settings.baseUrl, apiKey: await deps.keys.get(settings.baseUrl), api: settings.api }).listModels(),
    );
    return models.length > 0 ? { models } : { models, problem: 'the server listed no models' };
  } catch (error) {
    // The source's errors hold no secret of the base URL (it may carry a key in its query).
    const message = error instanceof ModelSourceError ? error.message : String(error);
    deps.log.warn(`Listing models at ${redactUrl(settings.baseUrl)} failed: ${message}`);
    return { models: [], problem: `could not list models: ${message.slice(0, 120)}` };
  }
}
