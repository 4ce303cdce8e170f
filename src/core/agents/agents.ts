import { DEFAULT_AGENT_NAME, type Agent } from './agent.ts';

/** The tools an agent may name (the workspace tools). */
const KNOWN_TOOLS = new Set(['read_file', 'list_files', 'search_text', 'get_problems']);

/** A name `@name` can address: starts with a letter or digit; letters, digits, `-`, `_`; at most 40. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;

/** `sessionChat.agents` read: the agents that are usable, and what was wrong with the others. */
export interface AgentList {
  agents: Agent[];
  /** One sentence per entry that was left out or changed, for the log and a warning. */
  problems: string[];
}

function describe(index: number, entry: unknown): string {
  const name = typeof entry === 'object' && entry !== null && typeof (entry as { name?: unknown }).name === 'string' ? `"${(entry as { name: string }).name}"` : `number ${index + 1}`;
  return `agent ${name}`;
}

/** One entry, or the reason it is not usable. */
function readAgent(entry: unknown, index: number, problems: string[]): Agent | undefined {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    problems.push(`Entry ${index + 1} of sessionChat.agents is not an object with a name and instructions; it is left out.`);
    return undefined;
  }
  const fields = entry as Record<string, unknown>;
  const name = typeof fields.name === 'string' ? fields.name.trim() : '';
  if (!NAME.test(name)) {
    problems.push(`The ${describe(index, entry)} has no usable name (letters, digits, - and _, up to 40, starting with a letter or digit); it is left out.`);
    return undefined;
  }
  if (typeof fields.instructions !== 'string' || fields.instructions.trim() === '') {
    problems.push(`The agent "${name}" has no instructions; it is left out.`);
    return undefined;
  }
  const agent: Agent = { name, instructions: fields.instructions };
  if (typeof fields.model === 'string' && fields.model.trim() !== '') agent.model = fields.model.trim();
  if (fields.tools !== undefined) {
    const tools = Array.isArray(fields.tools) ? fields.tools.filter((tool): tool is string => typeof tool === 'string') : [];
    const unknown = tools.filter((tool) => !KNOWN_TOOLS.has(tool));
    if (!Array.isArray(fields.tools) || unknown.length > 0) {
      problems.push(`The agent "${name}" names tools that do not exist (${Array.isArray(fields.tools) ? unknown.join(', ') : 'not a list'}); it may use only ${[...KNOWN_TOOLS].join(', ')}.`);
    }
    agent.tools = tools.filter((tool) => KNOWN_TOOLS.has(tool));
  }
  return agent;
}

/** Reads `sessionChat.agents` as written in settings.json (anything may be there). */
export function parseAgents(value: unknown): AgentList {
  const problems: string[] = [];
  if (value === undefined || value === null) return { agents: [], problems };
  if (!Array.isArray(value)) return { agents: [], problems: ['sessionChat.agents is not a list of agents; no agents are used.'] };
  const agents: Agent[] = [];
  const seen = new Set<string>();
  value.forEach((entry, index) => {
    const agent = readAgent(entry, index, problems);
    if (!agent) return;
    const key = agent.name.toLowerCase();
    if (seen.has(key)) {
      problems.push(`There are two agents named "${agent.name}"; the second is left out.`);
      return;
    }
    seen.add(key);
    agents.push(agent);
  });
  return { agents, problems };
}

/** Finds an agent by name, ignoring case. */
export function findAgent(agents: readonly Agent[], name: string): Agent | undefined {
  const key = name.toLowerCase();
  return agents.find((agent) => agent.name.toLowerCase() === key);
}

/** Who a message goes to. */
export interface Addressed {
  /** The agent named by `@name` at the start, or the chosen one; undefined = the default agent. */
  agent: Agent | undefined;
  /** `@name` at the start named no agent: the message still goes to `agent`, and the user is told. */
  unknownName?: string;
}

/**
 * Who answers `text`: `@name` at the very start (followed by a space, punctuation or the end)
 * addresses that agent for this message; otherwise the agent chosen in the picker (`chosen`,
 * '' = default). The text itself is sent as typed: the other agents see who was asked.
 */
export function addressedAgent(text: string, agents: readonly Agent[], chosen: string = DEFAULT_AGENT_NAME): Addressed {
  const fallback = chosen === DEFAULT_AGENT_NAME ? undefined : findAgent(agents, chosen);
  const match = /^\s*@([A-Za-z0-9][A-Za-z0-9_-]*)(?=[\s,:;!?]|$)/.exec(text);
  if (!match) return { agent: fallback };
  const named = findAgent(agents, match[1]!);
  return named ? { agent: named } : { agent: fallback, unknownName: match[1]! };
}
