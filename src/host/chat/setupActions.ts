import * as vscode from 'vscode';
import { detectLocalServers, probeModels, type ListModels } from '../../core/model/localServers.ts';
import type { RunError } from '../../core/model/runError.ts';
import type { WireApi } from '../../core/model/types.ts';
import type { SetupDetected, SetupDone, SetupModels } from '../../shared/protocol.ts';
import { keyOrigin, type ApiKeys } from '../platform/apiKeys.ts';
import { redactUrl, SETTINGS_SECTION } from '../platform/settings.ts';
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

  async detect(): Promise<SetupDetected> {
    const servers = await detectLocalServers(this.#list);
    this.#host.log.info(`Setup: local servers answering: ${servers.map((server) => server.name).join(', ') || 'none'}.`);
    return { servers };
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
