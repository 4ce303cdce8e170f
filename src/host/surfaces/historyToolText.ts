// What the history tool answers, as plain text for a model; no `vscode`, so unit-testable.
import { z } from 'zod';
import type { HistoryStore, SearchHit } from '../../core/store/historyStore.ts';
import { workspaceName } from '../commands/threadWords.ts';

const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 50;

/** What an agent may pass; it comes from a model, so it is checked like any untrusted input. */
const toolInput = z.object({
  query: z.string().max(1000),
  limit: z.number().optional(),
});
export type HistoryToolInput = z.infer<typeof toolInput>;

const roleWords: Record<SearchHit['role'], string> = { user: 'user message', assistant: 'assistant answer', tool: 'tool call or output' };

/** A date a model reads without guessing the time zone. */
function utc(at: number): string {
  return `${new Date(at).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The hits as plain text for a model: one numbered entry per message, with where and when. */
export function hitsText(query: string, hits: readonly SearchHit[]): string {
  if (hits.length === 0) return `No Session Chat messages match "${query}".`;
  const lines = [`${hits.length} Session Chat message${hits.length === 1 ? '' : 's'} match "${query}" (pinned threads and this workspace first, then newest first):`];
  hits.forEach((hit, index) => {
    lines.push('', `${index + 1}. Thread "${hit.threadTitle}"${hit.pinned ? ' (pinned)' : ''}, workspace ${workspaceName(hit.workspaceKey)}, ${utc(hit.at)}, ${roleWords[hit.role]}:`, `   ${hit.snippet}`);
  });
  return lines.join('\n');
}

/** Answers one invocation: searches the store, read-only. */
export async function runHistoryTool(store: HistoryStore, workspaceKey: string, input: unknown): Promise<string> {
  const parsed = toolInput.safeParse(input);
  if (!parsed.success) return 'Give a "query" string (and optionally a "limit" number) to search Session Chat history.';
  const query = parsed.data.query.trim();
  if (query === '') return 'Give some words to search Session Chat history for.';
  const asked = parsed.data.limit;
  const limit = asked !== undefined && Number.isFinite(asked) ? Math.min(Math.max(Math.floor(asked), 1), MAX_LIMIT) : DEFAULT_LIMIT;
  return hitsText(query, await store.search(query, { workspaceKey, limit }));
}
