import * as vscode from 'vscode';
import { OpenAiCompatibleSource } from '../../core/model/openAiCompatibleSource.ts';
import { lmRunError } from '../../core/model/lmErrors.ts';
import { ModelSourceError } from '../../core/model/runError.ts';
import { vscodeChatModels, type VscodeModelInfo } from '../model/vscodeLmSource.ts';
import { redactUrl, type ChatSettings, type ModelSourceKind } from '../platform/settings.ts';
import type { CommandDeps } from './commandContext.ts';

/** A model and the source it belongs to: what Select Model writes. */
export interface ModelChoice {
  source: ModelSourceKind;
  model: string;
}

interface ModelItem extends vscode.QuickPickItem {
  /** Absent on separators and on the items that explain why a group is empty. */
  choice?: ModelChoice;
}

/** What one source offered: its models, or why there are none. */
type Listed<T> = { models: T[] } | { problem: string };

async function listServer(deps: CommandDeps, settings: ChatSettings): Promise<Listed<string>> {
  try {
    const source = new OpenAiCompatibleSource({ baseUrl: settings.baseUrl, apiKey: await deps.keys.get(settings.baseUrl), api: settings.api });
    const models = await source.listModels();
    return models.length > 0 ? { models } : { problem: 'The server listed no models. Type a model name to use it.' };
  } catch (error) {
    // The source's errors hold no secret of the base URL (it may carry a key in its query).
    const message = error instanceof ModelSourceError ? error.message : String(error);
    deps.log.warn(`Listing models at ${redactUrl(settings.baseUrl)} failed: ${message}`);
    return { problem: `Could not list the server's models: ${message.slice(0, 120)}. Type a model name to use it.` };
  }
}

async function listVscode(deps: CommandDeps): Promise<Listed<VscodeModelInfo>> {
  try {
    const models = await vscodeChatModels();
    return models.length > 0 ? { models } : { problem: 'No VS Code model. Extensions such as GitHub Copilot provide them.' };
  } catch (error) {
    const problem = lmRunError(error).detail ?? String(error);
    deps.log.warn(`Listing VS Code's language models failed: ${problem}`);
    return { problem: `Could not list VS Code's models: ${problem}` };
  }
}

function isActive(settings: ChatSettings, choice: ModelChoice): boolean {
  return settings.modelSource === choice.source && settings.model === choice.model;
}

/** One model's row; the active one is marked with a check and the word "active" (for screen readers too). */
function modelItem(settings: ChatSettings, choice: ModelChoice, label: string, description: string | undefined): ModelItem {
  const active = isActive(settings, choice);
  const words = [description, active ? 'active' : undefined].filter(Boolean).join(' · ');
  return { label: active ? `$(check) ${label}` : label, description: words || undefined, choice };
}

/** The rows of the pick, in groups: the server's models, then VS Code's. */
function pickItems(settings: ChatSettings, server: Listed<string>, local: Listed<VscodeModelInfo>): ModelItem[] {
  const items: ModelItem[] = [{ label: `Server: ${redactUrl(settings.baseUrl)}`, kind: vscode.QuickPickItemKind.Separator }];
  if ('models' in server) items.push(...server.models.map((model) => modelItem(settings, { source: 'openai-compatible', model }, model, undefined)));
  else items.push({ label: '$(warning) No models listed', detail: server.problem, alwaysShow: true });
  items.push({ label: 'VS Code', kind: vscode.QuickPickItemKind.Separator });
  if ('models' in local) {
    items.push(...local.models.map((model) => modelItem(settings, { source: 'vscode', model: model.id }, model.name, `${model.vendor} · ${model.family}`)));
  } else {
    items.push({ label: '$(info) No VS Code models', detail: local.problem, alwaysShow: true });
  }
  return items;
}

/**
 * Select Model's pick: every source's models in groups, the active one marked. A name typed that
 * is not listed can be used on the server (servers lie about their models or refuse to list them).
 */
export async function pickModelChoice(deps: CommandDeps, settings: ChatSettings): Promise<ModelChoice | undefined> {
  const [server, local] = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Session Chat: listing models' }, () =>
    Promise.all([listServer(deps, settings), listVscode(deps)]),
  );
  const base = pickItems(settings, server, local);
  const serverModels = 'models' in server ? server.models : [];
  const pick = vscode.window.createQuickPick<ModelItem>();
  pick.title = 'Session Chat: Select Model';
  pick.placeholder = `Pick a model (active: ${settings.model}${settings.modelSource === 'vscode' ? ', VS Code' : ''}) or type a name for the server`;
  pick.matchOnDescription = true;
  pick.items = base;
  const typed = pick.onDidChangeValue((value) => {
    const name = value.trim();
    const own: ModelItem = { label: name, description: `use this name on ${redactUrl(settings.baseUrl)}`, choice: { source: 'openai-compatible', model: name }, alwaysShow: true };
    pick.items = name && !serverModels.includes(name) ? [own, ...base] : base;
  });
  try {
    return await new Promise<ModelChoice | undefined>((resolve) => {
      pick.onDidAccept(() => {
        const item = pick.selectedItems[0];
        // An explanatory row chooses nothing: the pick stays open for another choice.
        if (item && !item.choice) return;
        const name = pick.value.trim();
        resolve(item?.choice ?? (name ? { source: 'openai-compatible', model: name } : undefined));
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
