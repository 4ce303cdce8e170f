/**
 * An agent of `sessionChat.agents`: a name the composer's picker and `@name` address, its
 * instructions (the system prompt it answers with), optionally its own model and the tools it
 * may use. Every agent answers in the same thread, on the same session, as in the Agents SDK's
 * "different agents can share the same session".
 */
export interface Agent {
  /** What `@name` addresses: letters, digits, `-` and `_`; unique regardless of case. */
  name: string;
  /** The system prompt it answers with. */
  instructions: string;
  /** A model of the active source; absent = `sessionChat.model`. */
  model?: string;
  /** The tools it may call (names of the workspace tools); absent = all of them, [] = none. */
  tools?: string[];
}

/** The agent that answers when none is chosen: today's `sessionChat.systemPrompt`. */
export const DEFAULT_AGENT_NAME = '';
