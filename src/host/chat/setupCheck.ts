import * as vscode from 'vscode';
import { decideSetup, probeModels, SETTINGS_PROBE_TIMEOUT_MS, type ListModels } from '../../core/model/localServers.ts';
import type { SetupView } from '../../shared/protocol.ts';
import { vscodeChatModels } from '../model/vscodeLmSource.ts';
import type { ApiKeys } from '../platform/apiKeys.ts';
import { readSettings, redactUrl, SETTINGS_SECTION } from '../platform/settings.ts';

/** How long a snapshot waits for a running check before it is sent without (the check then refreshes). */
const SNAPSHOT_WAIT_MS = 250;

/**
 * Lists a server's models through the OpenAI-compatible source, loaded on first use (the setup
 * check runs when a surface opens, never at activation).
 */
export const listServerModels: ListModels = async (baseUrl, apiKey, signal) => {
  const { OpenAiCompatibleSource } = await import('../../core/model/openAiCompatibleSource.ts');
  return new OpenAiCompatibleSource({ baseUrl, apiKey, api: 'chat-completions' }).listModels(signal);
};

/** The user (or a workspace) set the base URL or the model: the defaults were not simply left alone. */
function userChose(): boolean {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const set = (key: string): boolean => {
    const inspected = config.inspect<string>(key);
    return [inspected?.globalValue, inspected?.workspaceValue, inspected?.workspaceFolderValue].some((value) => value !== undefined);
  };
  return set('baseUrl') || set('model');
}

/**
 * Is a usable model configured? Decided without slowing activation: nothing runs until a surface
 * opens (its `ready`); then one secret read (a key for the base URL's origin?) and, only when no
 * key is saved and the server is not a hosted API that always needs one, a single `GET /models`
 * probe of the base URL with a short timeout. The answer is kept per settings; it is asked again
 * when a surface opens, when the settings change, after the setup card saved something, and on
 * each refresh while the answer is "set up needed" (so Set API Key from the palette clears it).
 */
export class SetupCheck {
  readonly #keys: ApiKeys;
  readonly #onChange: () => void;
  readonly #list: ListModels;
  readonly #log: vscode.LogOutputChannel;
  /** The last answer and the settings it was for. */
  #decided: { settings: string; reason: SetupView['reason'] | undefined } | undefined;
  /** VS Code's models come and go (an extension activates, the user signs out): ask again then. */
  readonly #modelsChanged: vscode.Disposable;
  #running: Promise<void> | undefined;
  #stale = true;

  constructor(keys: ApiKeys, log: vscode.LogOutputChannel, onChange: () => void, list: ListModels = listServerModels) {
    this.#keys = keys;
    this.#log = log;
    this.#onChange = onChange;
    this.#list = list;
    this.#modelsChanged = vscode.lm.onDidChangeChatModels(() => {
      this.#stale = true;
      if (readSettings().modelSource === 'vscode') void this.#check();
    });
  }

  dispose(): void {
    this.#modelsChanged.dispose();
  }

  /** Ask again before the next snapshot (a surface opened, a key was saved). */
  invalidate(): void {
    this.#stale = true;
  }

  /**
   * The setup card to show with the next snapshot. Starts a check when the answer is stale and waits
   * for it briefly; a check that takes longer refreshes the surfaces itself when it changes the answer.
   */
  async view(): Promise<SetupView | undefined> {
    const settings = settingsKey();
    const known = this.#decided?.settings === settings ? this.#decided : undefined;
    if (this.#stale || !known || known.reason !== undefined) {
      const check = this.#check();
      await Promise.race([check, new Promise((resolve) => setTimeout(resolve, SNAPSHOT_WAIT_MS))]);
    }
    const now = this.#decided?.settings === settings ? this.#decided.reason : undefined;
    return now === undefined ? undefined : { reason: now, baseUrl: redactUrl(readSettings().baseUrl) };
  }

  #check(): Promise<void> {
    this.#running ??= this.#run().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #run(): Promise<void> {
    this.#stale = false;
    const { baseUrl, modelSource } = readSettings();
    const settings = settingsKey();
    const before = this.#decided?.settings === settings ? this.#decided.reason : 'unknown';
    let reason: SetupView['reason'] | undefined;
    try {
      if (modelSource === 'vscode') {
        // No key and no server: usable as soon as VS Code has a chat model (a missing id shows at the first message).
        reason = (await vscodeChatModels()).length > 0 ? undefined : 'noVscodeModel';
      } else {
        const hasKey = (await this.#keys.get(baseUrl)) !== undefined;
        reason = await decideSetup({ baseUrl, chosen: userChose(), hasKey, probe: () => probeModels(this.#list, baseUrl, undefined, SETTINGS_PROBE_TIMEOUT_MS) });
      }
    } catch (error) {
      // A check that fails says nothing; the first message will.
      this.#log.warn(`Could not check the model settings: ${String(error)}`);
      reason = undefined;
    }
    this.#decided = { settings, reason };
    if (reason !== before) {
      this.#log.info(reason ? `No usable model configured (${reason}); the panel offers setup.` : 'Model settings look usable.');
      if (before !== 'unknown' || reason !== undefined) this.#onChange();
    }
  }
}

/** The settings an answer was decided for. */
function settingsKey(): string {
  const settings = readSettings();
  return `${settings.modelSource}\n${settings.baseUrl}\n${settings.model}\n${userChose()}`;
}
