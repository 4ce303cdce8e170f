import type { ToolDefinition } from './toolDefinitions.ts';
import type { WorkspaceTools } from './workspaceTools.ts';

/** What the model gets when the user presses "Deny tool call". */
export const DENIED_TEXT = 'The user denied this call.';
/** What the model gets for a call the user stopped the turn on, while it waited or ran. */
export const STOPPED_TEXT = 'The user stopped the turn while this call was waiting for approval; it was not run.';

/** Default of `sessionChat.tools.maxRounds`: how many rounds of tool calls one turn may run. */
export const DEFAULT_MAX_TOOL_ROUNDS = 8;

/** The words a call past the round limit gets. */
export function roundLimitText(maxRounds: number): string {
  return `Not run: this turn reached its limit of ${maxRounds} tool rounds (setting sessionChat.tools.maxRounds). Answer with what you have.`;
}

/** A call the model made, as the runner hands it to the tools. */
export interface ToolCallRequest {
  callId: string;
  name: string;
  /** The JSON arguments exactly as the model sent them. */
  arguments: string;
}

/** The user's answer to an approval; `stopped` when the turn was stopped while it waited. */
export type ApprovalAnswer = 'allow' | 'deny' | 'stopped';

/** Asks the user about one call; resolves `stopped` as soon as `signal` aborts. */
export type ApproveCall = (call: ToolCallRequest, signal: AbortSignal) => Promise<ApprovalAnswer>;

/** The tools of one turn, as the runner sees them. */
export interface TurnTools {
  definitions: readonly ToolDefinition[];
  /** Rounds of tool calls one turn may run; the next round's calls are answered with {@link roundLimitText}. */
  maxRounds: number;
  /** The output for one call: checked, approved (or refused without asking), run. Never rejects. */
  call(call: ToolCallRequest, signal: AbortSignal): Promise<string>;
}

/**
 * The workspace tools behind the user's approval. A call that is refused anyway (wrong
 * arguments, a blocked file, a path outside the workspace) gets its output without asking.
 */
export function approvedTools(tools: WorkspaceTools, definitions: readonly ToolDefinition[], maxRounds: number, approve: ApproveCall): TurnTools {
  return {
    definitions,
    maxRounds,
    async call(call, signal) {
      // An agent may be given only some tools: a call to another is refused without asking.
      if (!definitions.some((tool) => tool.name === call.name)) return `The tool "${call.name}" is not available here. The tools are: ${definitions.map((tool) => tool.name).join(', ')}.`;
      const prepared = tools.prepare(call.name, call.arguments);
      if (prepared.kind === 'refused') return prepared.output;
      if (signal.aborted) return STOPPED_TEXT;
      const answer = await approve(call, signal);
      if (answer === 'stopped' || signal.aborted) return STOPPED_TEXT;
      if (answer === 'deny') return DENIED_TEXT;
      try {
        return await prepared.run(signal);
      } catch (error) {
        if (signal.aborted) return STOPPED_TEXT;
        return `The tool ${call.name} failed: ${error instanceof Error ? error.message : String(error)}`;
      }
    },
  };
}
