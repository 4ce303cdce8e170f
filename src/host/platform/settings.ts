import * as vscode from 'vscode';
import type { ModelSettings, WireApi } from '../../core/model/types.ts';

/** The `sessionChat.*` settings as plain values (declared in package.json `contributes.configuration`). */
export interface ChatSettings {
  /** Where answers come from: the OpenAI-compatible server, or a model of VS Code's Language Model API. */
  modelSource: ModelSourceKind;
  baseUrl: string;
  model: string;
  api: WireApi;
  /** Empty string = no system prompt. */
  systemPrompt: string;
  /** Most history items sent with a request; 0 = all. */
  historyLimit: number;
  /** Longest answer kept, in characters. */
  maxAnswerCharacters: number;
  /** Longest an answer may stream, in seconds. */
  maxAnswerSeconds: number;
  /** The model's context window in tokens; 0 = from the model's metadata (else an assumption). */
  contextWindow: number;
  /** Send only as much history as fits the context window. */
  trimHistory: boolean;
  /** `sessionChat.agents` as written (validated by `parseAgents`). */
  agents: unknown;
}

/** `sessionChat.modelSource`. */
export type ModelSourceKind = 'openai-compatible' | 'vscode';

/** Setting section; every key below lives under it. */
export const SETTINGS_SECTION = 'sessionChat';

export const DEFAULT_SETTINGS: ChatSettings = {
  modelSource: 'openai-compatible',
  baseUrl: 'https://api.openai.com/v1',
  model: 'gpt-4.1-mini',
  api: 'responses',
  systemPrompt: '',
  historyLimit: 0,
  maxAnswerCharacters: 1_000_000,
  maxAnswerSeconds: 600,
  contextWindow: 0,
  trimHistory: true,
  agents: [],
};

/** A whole number of at least `min` from a setting, else the default (settings.json can hold anything). */
function wholeAtLeast(value: unknown, min: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? Math.floor(value) : fallback;
}

/** Reads the settings now; called at send time so a change applies to the next message. */
export function readSettings(): ChatSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const baseUrl = config.get<string>('baseUrl', DEFAULT_SETTINGS.baseUrl).trim();
  const model = config.get<string>('model', DEFAULT_SETTINGS.model).trim();
  const api = config.get<string>('api', DEFAULT_SETTINGS.api);
  const historyLimit = config.get<number>('historyLimit', DEFAULT_SETTINGS.historyLimit);
  return {
    modelSource: config.get<string>('modelSource') === 'vscode' ? 'vscode' : 'openai-compatible',
    baseUrl: baseUrl || DEFAULT_SETTINGS.baseUrl,
    model: model || DEFAULT_SETTINGS.model,
    api: api === 'chat-completions' ? 'chat-completions' : 'responses',
    systemPrompt: config.get<string>('systemPrompt', DEFAULT_SETTINGS.systemPrompt),
    historyLimit: Number.isFinite(historyLimit) && historyLimit > 0 ? Math.floor(historyLimit) : 0,
    maxAnswerCharacters: wholeAtLeast(config.get('maxAnswerCharacters'), 1000, DEFAULT_SETTINGS.maxAnswerCharacters),
    maxAnswerSeconds: wholeAtLeast(config.get('maxAnswerSeconds'), 10, DEFAULT_SETTINGS.maxAnswerSeconds),
    contextWindow: wholeAtLeast(config.get('contextWindow'), 1, 0),
    trimHistory: config.get<boolean>('trimHistory', DEFAULT_SETTINGS.trimHistory) !== false,
    agents: config.get<unknown>('agents', DEFAULT_SETTINGS.agents),
  };
}

/** Where the user keeps setting `key`: the folder or workspace if it is set there, else user settings. */
function targetOf(config: vscode.WorkspaceConfiguration, key: string): vscode.ConfigurationTarget {
  const inspected = config.inspect(key);
  if (inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  return inspected?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}

/** Writes the model setting where the user keeps it (workspace if set there, else user settings). */
export async function writeModel(model: string): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  await config.update('model', model, targetOf(config, 'model'));
}

/**
 * Writes the model and where it comes from (Select Model, the setup card), each where the user keeps
 * it, the source first: the model id means something only for its source.
 */
export async function writeModelChoice(source: ModelSourceKind, model: string): Promise<void> {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  // Unchanged, it is not written: the user's settings keep only what they chose.
  if (readSettings().modelSource !== source) await config.update('modelSource', source, targetOf(config, 'modelSource'));
  await writeModel(model);
}

/** True when the change touches any Session Chat setting. */
export function affectsSettings(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(SETTINGS_SECTION);
}

/** The settings plus the key, as the runner takes them; empty values become "not set". */
export function toModelSettings(settings: ChatSettings, apiKey: string | undefined): ModelSettings {
  const model: ModelSettings = {
    baseUrl: settings.baseUrl,
    model: settings.model,
    api: settings.api,
    maxAnswerChars: settings.maxAnswerCharacters,
    maxAnswerMs: settings.maxAnswerSeconds * 1000,
  };
  if (apiKey) model.apiKey = apiKey;
  if (settings.systemPrompt.trim() !== '') model.systemPrompt = settings.systemPrompt;
  if (settings.historyLimit > 0) model.historyLimit = settings.historyLimit;
  return model;
}

/** A base URL fit for the log: no `user:password@`, query or fragment (some servers take keys there). */
export { redactUrl } from '../../core/model/redactUrl.ts';
