import * as vscode from 'vscode';
import { detectLocalServers, probeModels, type ListModels } from '../../core/model/localServers.ts';
import type { RunError } from '../../core/model/runError.ts';
import type { WireApi } from '../../core/model/types.ts';
import type { SetupDetected, SetupDone, SetupModels, VscodeModel } from '../../shared/protocol.ts';
import { vscodeChatModels } from '../model/vscodeLmSource.ts';
import { keyOrigin, type ApiKeys } from '../platform/apiKeys.ts';
import { readSettings, redactUrl, SETTINGS_SECTION, writeModelChoice } from '../platform/settings.ts';
import { listServerModels } from './setupCheck.ts';

/** Listing a server's models for the card may take a moment (a remote server), but not forever. */
const LIST_TIMEOUT_MS = 8_000;

/** What the setup card's answers need from the chat. */
export interface SetupHost {
  readonly keys: ApiKeys;
  readonly log: vscode.LogOutputChannel;
  /** The settings (or a key) changed: check again and show every surface the result. */
  changed(): void;
}

/**
 * The "Set up a model" card's requests: find the local servers, list a server's models, take a key
 * in VS Code's own password box (never through the webview), and write the chosen settings.
 */
export class SetupActions {
  readonly #host: SetupHost;
  readonly #list: ListModels;

  constructor(host: SetupHost, list: ListModels = listServerModels) {
    this.#host = host;
    this.#list = list;
  }

  /** Local servers that answer and VS Code's own models, looked for at the same time. */
  async detect(): Promise<SetupDetected> {
    const [servers, vscodeModels] = await Promise.all([detectLocalServers(this.#list), this.#vscodeModels()]);
    this.#host.log.info(`Setup: local servers answering: ${servers.map((server) => server.name).join(', ') || 'none'}; VS Code models: ${vscodeModels.length}.`);
    return { servers, vscodeModels };
  }

  /** VS Code's chat models; none when the API fails (the card then offers the other choices). */
  async #vscodeModels(): Promise<VscodeModel[]> {
    try {
      return (await vscodeChatModels()).map((model) => ({ id: model.id, name: model.name, description: `${model.vendor} · ${model.family}` }));
    } catch (error) {
      this.#host.log.warn(`Setup: could not list VS Code's models: ${String(error)}`);
      return [];
    }
  }

  /** Use a model of VS Code's Language Model API: no key, no server. */
  async useVscodeModel(model: string): Promise<SetupDone> {
    await writeModelChoice('vscode', model.trim());
    this.#host.log.info(`Setup: using the VS Code model ${model.trim()}.`);
    this.#host.changed();
    return { done: true };
  }

  async listModels(baseUrl: string): Promise<SetupModels> {
    const url = baseUrl.trim();
    const apiKey = keyOrigin(url) ? await this.#host.keys.get(url) : undefined;
    const result = await probeModels(this.#list, url, apiKey, LIST_TIMEOUT_MS);
    if (result.ok) return { models: result.models, hasKey: apiKey !== undefined };
    this.#host.log.info(`Setup: listing the models of ${redactUrl(url)} failed (${result.error.kind}${result.error.status ? ` ${result.error.status}` : ''}).`);
    return { models: [], hasKey: apiKey !== undefined, problem: setupProblem(result.error, apiKey !== undefined) };
  }

  async enterKey(baseUrl: string): Promise<SetupDone> {
    const url = baseUrl.trim();
    const origin = keyOrigin(url);
    if (!origin) return { done: false };
    const key = await vscode.window.showInputBox({
      title: `Session Chat: API Key for ${origin}`,
      prompt: `API key for ${origin}. It is sent only to this server and kept in VS Code's secret storage.`,
      password: true,
      ignoreFocusOut: true,
    });
    if (key === undefined || key.trim() === '') return { done: false };
    await this.#host.keys.set(url, key);
    this.#host.log.info(`API key for ${origin} stored in SecretStorage (setup card).`);
    this.#host.changed();
    return { done: true };
  }

  /** Writes base URL, model and wire API where the user keeps them (a workspace's own value stays the workspace's). */
  async apply(baseUrl: string, model: string, api: WireApi): Promise<SetupDone> {
    const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
    for (const [key, value] of [['baseUrl', baseUrl.trim()], ['model', model.trim()], ['api', api]] as const) {
      await config.update(key, value, settingsTarget(config.inspect(key)));
    }
    // The server was chosen: answers come from it again if they came from a VS Code model.
    if (readSettings().modelSource !== 'openai-compatible') await config.update('modelSource', 'openai-compatible', settingsTarget(config.inspect('modelSource')));
    this.#host.log.info(`Setup: using ${model.trim()} at ${redactUrl(baseUrl.trim())} (${api}).`);
    this.#host.changed();
    return { done: true };
  }
}

/** Where a setting is written: the most specific level that already sets it, else the user's settings. */
function settingsTarget(inspected: { workspaceFolderValue?: unknown; workspaceValue?: unknown } | undefined): vscode.ConfigurationTarget {
  if (inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}

/** Why a server's models could not be listed, in the card's words, with the kind of fix. */
export function setupProblem(error: RunError, hasKey: boolean): NonNullable<SetupModels['problem']> {
  const code = error.status !== undefined ? ` (${error.status})` : error.detail ? ` (${error.detail})` : '';
  switch (error.kind) {
    case 'auth':
    case 'forbidden':
      return { kind: 'needsKey', message: hasKey ? `The server rejected the saved API key${code}. Enter another one.` : `This server needs an API key${code}. Enter one to list its models.` };
    case 'offline':
      return { kind: 'unreachable', message: `The host could not be found${code}. Check the address and your network connection.` };
    case 'refused':
      return { kind: 'unreachable', message: `Nothing answers at this address${code}. Is the server running?` };
    case 'connection':
    case 'timeout':
      return { kind: 'unreachable', message: `The server did not answer${code}. Check the address and your network connection.` };
    case 'notFound':
      return { kind: 'wrongPath', message: `Nothing at this address${code}. Most servers' base URL ends in /v1.` };
    case 'invalidUrl':
      return { kind: 'invalidUrl', message: `This address cannot be used: ${error.detail ?? 'it is not an http(s) URL'}.` };
    default:
      return { kind: 'other', message: `The server could not list its models${code}${error.detail && error.status !== undefined ? `: ${error.detail}` : ''}. You can still type a model name.` };
  }
}
