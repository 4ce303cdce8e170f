import * as vscode from 'vscode';
import { DisposableStore, type Disposable } from '../platform/disposable.ts';
import { SETTINGS_SECTION } from '../platform/settings.ts';
import { HISTORY_TOOL_NAME, HISTORY_TOOL_SETTING } from './historyToolNames.ts';
import type { HistoryToolInput } from './historyToolText.ts';

/**
 * The Language Model Tool `sessionChat_searchHistory`: lets VS Code's agents (Copilot's agent
 * mode, or any extension's) look up what was discussed in Session Chat. Registered while the
 * setting `sessionChat.searchHistoryTool.enabled` is on (the contribution's `when` says the same),
 * unregistered when it is turned off.
 */
export class HistoryTool implements Disposable {
  readonly #search: (input: unknown) => Promise<string>;
  readonly #log: vscode.LogOutputChannel;
  readonly #disposables = new DisposableStore();
  #registration: vscode.Disposable | undefined;

  /** `search` answers an agent's input (it loads the chat on first use: the tool is registered at activation). */
  constructor(search: (input: unknown) => Promise<string>, log: vscode.LogOutputChannel) {
    this.#search = search;
    this.#log = log;
    this.#disposables.add(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration(`${SETTINGS_SECTION}.${HISTORY_TOOL_SETTING}`)) this.#update();
      }),
    );
    this.#update();
  }

  dispose(): void {
    this.#registration?.dispose();
    this.#registration = undefined;
    this.#disposables.dispose();
  }

  #update(): void {
    const enabled = vscode.workspace.getConfiguration(SETTINGS_SECTION).get<boolean>(HISTORY_TOOL_SETTING, true) !== false;
    if (!enabled) {
      this.#registration?.dispose();
      this.#registration = undefined;
      return;
    }
    if (this.#registration) return;
    // The typings of VS Code 1.101 have it; a host that lacks the API simply gets no tool.
    const lm = (vscode as { lm?: Partial<typeof vscode.lm> }).lm;
    if (typeof lm?.registerTool !== 'function') {
      this.#log.info('This VS Code has no language model tools API; the history tool is not offered.');
      return;
    }
    this.#registration = lm.registerTool<HistoryToolInput>(HISTORY_TOOL_NAME, {
      prepareInvocation: (options) => ({ invocationMessage: `Searching Session Chat history for "${String(options.input?.query ?? '').slice(0, 80)}"` }),
      invoke: async (options) => {
        const text = await this.#search(options.input);
        return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(text)]);
      },
    });
  }
}
