import type * as vscode from 'vscode';
import type { Agent } from '../../core/agents/agent.ts';
import { addressedAgent, findAgent, parseAgents, type AgentList } from '../../core/agents/agents.ts';
import { answerReserve, ASSUMED_CONTEXT_WINDOW, fitHistory, NEAR_LIMIT_SHARE } from '../../core/context/contextBudget.ts';
import { historyAfterSummary, isSummaryItem, readSummary } from '../../core/context/summaryItem.ts';
import { contentText, isUserMessage } from '../../core/items/itemFields.ts';
import type { ModelSource } from '../../core/model/modelSource.ts';
import type { ModelSettings } from '../../core/model/types.ts';
import { estimateTokens } from '../../core/model/usage.ts';
import type { HistoryStore } from '../../core/store/historyStore.ts';
import type { Item } from '../../core/session/session.ts';
import type { ToolDefinition } from '../../core/tools/toolDefinitions.ts';
import type { AgentView, ContextView } from '../../shared/protocol.ts';
import { activeModelSource } from '../model/activeSource.ts';
import type { ApiKeyStore } from '../platform/secrets.ts';
import { readSettings, toModelSettings, type ChatSettings, type ModelSourceKind } from '../platform/settings.ts';
import { ContextWindows } from './contextWindows.ts';

/** Where the agent picker's choice is kept (per workspace, so each project keeps its own). */
const CHOSEN_AGENT_KEY = 'sessionChat.agent';

/** The first read of a thread's history for a request; grown four-fold until what fits is known. */
const FIRST_READ = 64;

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
    if (problems !== '' && problems !== this.#warnedAgents) this.#log.warn(`sessionChat.agents: ${problems}`);
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
   * The request for the thread's stored history, which ends with the question being answered
   * (its text picks the agent with `@name`); `toolsFor` gives the tools an agent is offered.
   */
  async plan(store: HistoryStore, threadId: string, toolsFor?: ToolsFor): Promise<RequestPlan> {
    return this.#plan(store, threadId, undefined, toolsFor);
  }

  /** The meter's figures for the next message (`pendingText`: attachments waiting in the box), with the picked agent. */
  async meter(store: HistoryStore, threadId: string, pendingText: string, toolsFor?: ToolsFor): Promise<ContextView> {
    return (await this.#plan(store, threadId, pendingText, toolsFor)).context;
  }

  async #plan(store: HistoryStore, threadId: string, pendingText: string | undefined, toolsFor?: ToolsFor): Promise<RequestPlan> {
    const chat = readSettings();
    const { agents } = this.agents(chat);
    const read = new HistoryReader(store, threadId, chat);
    let items = await read.first();
    // The meter plans the next message, which is not stored yet: the picked agent answers it.
    const question = pendingText === undefined ? lastQuestionText(items) : '';
    const addressed = addressedAgent(question, agents, this.chosen(agents));
    const agent = addressed.agent;
    const apiKey = chat.modelSource === 'vscode' ? undefined : await this.#keys.get(chat.baseUrl);
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
    const budget = window - answerReserve(window) - fixedTokens;
    for (;;) {
      const sendable = historyAfterSummary(items);
      const fitted = chat.trimHistory ? fitHistory(sendable, budget) : { ...fitHistory(sendable, Number.MAX_SAFE_INTEGER), trimmedTurns: 0 };
      // Anything left out by the fit means everything older is left out too: no need to read it.
      if (read.whole || summaryComplete(items) || fitted.trimmedTurns > 0) {
        const used = fitted.tokens + fixedTokens;
        // Measured against what the history may fill (the window less the answer's room): trimming
        // already at work, or 80 % of that room used, is "near".
        const room = window - answerReserve(window);
        const level: ContextView['level'] = used > room ? 'over' : used >= room * NEAR_LIMIT_SHARE || fitted.trimmedTurns > 0 ? 'near' : 'ok';
        const context: ContextView = { used, window, windowFrom, trimmedTurns: fitted.trimmedTurns, level };
        if (fitted.trimmedTurns > 0 && !read.whole) context.trimmedAtLeast = true;
        const plan: RequestPlan = { agent, settings, source, sourceKind: kind, history: fitted.items, context };
        if (addressed.unknownName) plan.unknownAgent = addressed.unknownName;
        return plan;
      }
      items = await read.more();
    }
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

/** `items` reach back to a compaction and the turns it keeps verbatim: nothing older is sent. */
function summaryComplete(items: readonly Item[]): boolean {
  for (let index = items.length - 1; index >= 0; index--) {
    const summary = readSummary(items[index]);
    if (!summary) continue;
    let questions = 0;
    for (let before = index - 1; before >= 0 && questions < summary.kept; before--) if (isUserMessage(items[before])) questions++;
    return questions >= summary.kept;
  }
  return false;
}

/**
 * The thread's newest items, read in growing slices (64, 256, 1,024, …): a request needs only
 * what fits its window. `sessionChat.historyLimit` reads exactly that many (the SDK's `limit`);
 * with trimming off and no limit, the whole thread is read at once, as before.
 */
class HistoryReader {
  readonly #store: HistoryStore;
  readonly #threadId: string;
  readonly #limit: number | undefined;
  #want: number;
  whole = false;

  constructor(store: HistoryStore, threadId: string, chat: ChatSettings) {
    this.#store = store;
    this.#threadId = threadId;
    this.#limit = chat.historyLimit > 0 ? chat.historyLimit + 1 : chat.trimHistory ? undefined : 0;
    this.#want = this.#limit ?? FIRST_READ;
  }

  async first(): Promise<Item[]> {
    return this.#readNow();
  }

  async more(): Promise<Item[]> {
    this.#want *= 4;
    return this.#readNow();
  }

  async #readNow(): Promise<Item[]> {
    if (this.#limit === 0) {
      this.whole = true;
      return this.#store.getItems(this.#threadId);
    }
    const items = await this.#store.getItems(this.#threadId, this.#want);
    this.whole = this.#limit !== undefined || items.length < this.#want;
    return items;
  }
}
