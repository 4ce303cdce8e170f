import * as vscode from 'vscode';
import type { Agent } from '../../core/agents/agent.ts';
import { addressedAgent, findAgent, parseAgents, type AgentList } from '../../core/agents/agents.ts';
import { ASSUMED_CONTEXT_WINDOW } from '../../core/context/contextBudget.ts';
import { HistoryReader, sendWindow, type SendWindow } from '../../core/context/sendWindow.ts';
import { isSummaryItem } from '../../core/context/summaryItem.ts';
import { contentText, isUserMessage } from '../../core/items/itemFields.ts';
import type { ModelSource } from '../../core/model/modelSource.ts';
import type { ModelSettings } from '../../core/model/types.ts';
import { estimateTokens } from '../../core/model/usage.ts';
import type { HistoryStore } from '../../core/store/historyStore.ts';
import type { Item } from '../../core/session/session.ts';
import type { ToolDefinition } from '../../core/tools/toolDefinitions.ts';
import type { AgentView, ContextView, Snapshot } from '../../shared/protocol.ts';
import type { ChatContext } from '../context/chatContext.ts';
import { activeModelSource } from '../model/activeSource.ts';
import type { ApiKeyStore } from '../platform/secrets.ts';
import { readSettings, toModelSettings, type ChatSettings, type ModelSourceKind } from '../platform/settings.ts';
import { ContextWindows } from './contextWindows.ts';

/** Where the agent picker's choice is kept (per workspace, so each project keeps its own). */
const CHOSEN_AGENT_KEY = 'sessionChat.agent';

/** One request as it will be sent: who answers, with what, and which part of the thread. */
export interface RequestPlan {
  /** The agent that answers; undefined = the default agent (`sessionChat.systemPrompt`). */
  agent: Agent | undefined;
  /** `@name` at the start of the question named no agent. */
  unknownAgent?: string;
  /** The settings of this request: the agent's instructions and model over the user's. */
  settings: ModelSettings;
  source: ModelSource;
  sourceKind: ModelSourceKind;
  /** What is sent of the thread (after a compaction's summary, trimmed to the window). */
  history: Item[];
  context: ContextView;
}

/**
 * Plans each request and the footer's meter the same way: which agent answers (the picker's, or
 * `@name`), its settings and source, the model's context window, and the part of the thread sent
 * (from the newest compaction on, trimmed by whole turns to the window minus room for the answer).
 * History is read from the newest end in growing slices, so a 5,000-turn thread costs what fits.
 */
export class RequestPlanner {
  readonly #keys: ApiKeyStore;
  readonly #state: vscode.Memento;
  readonly #log: vscode.LogOutputChannel;
  readonly #changed: () => void;
  readonly #windows: ContextWindows;
  #warnedAgents = '';
  /** The last meter's send window and what it was measured on (see #plan). */
  #lastMeter: { key: string; sent: SendWindow } | undefined;

  constructor(keys: ApiKeyStore, state: vscode.Memento, log: vscode.LogOutputChannel, changed: () => void) {
    this.#keys = keys;
    this.#state = state;
    this.#log = log;
    this.#changed = changed;
    // A window found later (the server answered `/models`) refreshes the meter.
    this.#windows = new ContextWindows(log, changed);
  }

  /** `sessionChat.agents`, with what is wrong in it logged once per change. */
  agents(settings: ChatSettings = readSettings()): AgentList {
    const list = parseAgents(settings.agents);
    const problems = list.problems.join(' ');
    if (problems !== '' && problems !== this.#warnedAgents) {
      // Said once per change of the setting: the other agents still work meanwhile.
      this.#log.warn(`sessionChat.agents: ${problems}`);
      void vscode.window.showWarningMessage(`Session Chat: ${problems}`, 'Open Settings').then((choice) => {
        if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'sessionChat.agents');
      });
    }
    this.#warnedAgents = problems;
    return list;
  }

  /** The picker's agent ('' = default), if it still exists. */
  chosen(agents: readonly Agent[]): string {
    const name = this.#state.get<string>(CHOSEN_AGENT_KEY, '');
    return name !== '' && findAgent(agents, name) ? name : '';
  }

  /** The picker chose an agent; an unknown name is refused. */
  async select(name: string): Promise<void> {
    const { agents } = this.agents();
    if (name !== '' && !findAgent(agents, name)) throw new Error(`There is no agent named "${name}" in sessionChat.agents.`);
    await this.#state.update(CHOSEN_AGENT_KEY, name === '' ? undefined : findAgent(agents, name)!.name);
    this.#changed();
  }

  /** The picker's entries: the default agent first; undefined when no agent is defined. */
  agentViews(agents: readonly Agent[]): AgentView[] | undefined {
    if (agents.length === 0) return undefined;
    const firstLine = (text: string): string => text.trim().split('\n', 1)[0]!.slice(0, 120);
    const settings = readSettings();
    return [
      { name: '', detail: settings.systemPrompt.trim() ? firstLine(settings.systemPrompt) : 'The default agent (sessionChat.systemPrompt)' },
      ...agents.map((agent) => ({ name: agent.name, detail: agent.model ? `${firstLine(agent.instructions)} (${agent.model})` : firstLine(agent.instructions) })),
    ];
  }

  /**
   * Adds the agent picker, the picked agent's model and the context meter of the next message to
   * a snapshot of `snapshot.thread`. The meter is a help, never a reason for the panel not to show
   * the thread: a failure is logged and the snapshot goes without it.
   */
  async decorate(snapshot: Snapshot, store: HistoryStore, context: ChatContext | undefined): Promise<void> {
    const threadId = snapshot.thread.id;
    const { agents } = this.agents();
    const views = this.agentViews(agents);
    if (views) snapshot.agents = views;
    const chosen = this.chosen(agents);
    if (chosen !== '') snapshot.agent = chosen;
    try {
      const next = { text: context?.pendingText() ?? '', lastRowId: snapshot.lastRowId ?? 0 };
      snapshot.context = await this.meter(store, threadId, next, (agent) => context?.toolDefinitions(agent?.tools));
      const agentModel = findAgent(agents, chosen)?.model;
      if (agentModel) snapshot.model = agentModel;
    } catch (error) {
      this.#log.warn(`Could not measure the context: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /**
   * The request for the thread's stored history, which ends with the question being answered
   * (its text picks the agent with `@name`); `toolsFor` gives the tools an agent is offered.
   */
  async plan(store: HistoryStore, threadId: string, toolsFor?: ToolsFor): Promise<RequestPlan> {
    return this.#plan(store, threadId, undefined, toolsFor);
  }

  /**
   * The meter's figures for the next message, with the picked agent: `next.text` is what waits in
   * the box (attachments), `next.lastRowId` the thread's newest row as the snapshot read it.
   */
  async meter(store: HistoryStore, threadId: string, next: { text: string; lastRowId: number }, toolsFor?: ToolsFor): Promise<ContextView> {
    return (await this.#plan(store, threadId, next, toolsFor)).context;
  }

  async #plan(store: HistoryStore, threadId: string, next: { text: string; lastRowId: number } | undefined, toolsFor?: ToolsFor): Promise<RequestPlan> {
    const chat = readSettings();
    const { agents } = this.agents(chat);
    const pendingText = next?.text;
    const reader = new HistoryReader((limit) => store.getItems(threadId, limit), { historyLimit: chat.historyLimit, trim: chat.trimHistory });
    // The meter plans the next message, which is not stored yet: the picked agent answers it, and
    // the history is read only if the meter of this very thread state is not known already.
    const items = next ? undefined : await reader.first();
    const question = items ? lastQuestionText(items) : '';
    const addressed = addressedAgent(question, agents, this.chosen(agents));
    const agent = addressed.agent;
    const model = agent?.model ?? chat.model;
    // The meter needs no key once the window is known: a secret read per snapshot would slow every refresh.
    const needKey = chat.modelSource !== 'vscode' && (pendingText === undefined || !this.#windows.peek(chat.modelSource, chat.baseUrl, model).looked);
    const apiKey = needKey ? await this.#keys.get(chat.baseUrl) : undefined;
    const settings = toModelSettings(chat, apiKey);
    if (agent) {
      settings.systemPrompt = agent.instructions;
      if (agent.model) settings.model = agent.model;
    }
    // The runner sends what is planned here: its own limit would cut it again.
    delete settings.historyLimit;
    const { source, kind } = activeModelSource(chat, apiKey);
    const known = chat.contextWindow > 0 ? undefined : this.#windows.get(kind, chat.baseUrl, settings.model, source);
    const window = chat.contextWindow > 0 ? chat.contextWindow : (known ?? ASSUMED_CONTEXT_WINDOW);
    const windowFrom: ContextView['windowFrom'] = chat.contextWindow > 0 ? 'setting' : known ? 'model' : 'assumed';
    const tools = toolsFor?.(agent);
    const fixedTokens = estimateTokens((settings.systemPrompt ?? '') + (pendingText ?? '') + (tools && tools.length > 0 ? JSON.stringify(tools) : ''));
    const limits = { window, fixedTokens, trim: chat.trimHistory };
    // Snapshots come often (every refresh) while the thread stays the same: its rows are named by its newest one.
    const key = next && JSON.stringify([threadId, next.lastRowId, chat.historyLimit, limits]);
    const sent = key !== undefined && this.#lastMeter?.key === key ? this.#lastMeter.sent : await sendWindow(reader, items ?? (await reader.first()), limits);
    if (key !== undefined) this.#lastMeter = { key, sent };
    const context: ContextView = { used: sent.used, window, windowFrom, trimmedTurns: sent.trimmedTurns, level: sent.level };
    if (sent.trimmedAtLeast) context.trimmedAtLeast = true;
    const plan: RequestPlan = { agent, settings, source, sourceKind: kind, history: sent.items, context };
    if (addressed.unknownName) plan.unknownAgent = addressed.unknownName;
    return plan;
  }
}

/** Which tools an agent is offered (undefined: none). */
export type ToolsFor = (agent: Agent | undefined) => readonly ToolDefinition[] | undefined;

/** The text of the newest question (not a compaction) among `items`. */
function lastQuestionText(items: readonly Item[]): string {
  for (let index = items.length - 1; index >= 0; index--) {
    const item = items[index];
    if (isUserMessage(item) && !isSummaryItem(item)) return contentText((item as { content?: unknown }).content);
  }
  return '';
}
