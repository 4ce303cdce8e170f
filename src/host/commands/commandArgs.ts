import { z } from 'zod';

/**
 * Optional object arguments of the commands, used by tests and scripts to skip the UI. Menus pass
 * other things (a URI, a view item), so anything that does not match means "show the UI".
 */
const threadId = z.string().min(1).max(200);
const title = z.string().max(500);

const schemas = {
  newThread: z.object({ title: title.optional() }),
  switchThread: z.object({ threadId }),
  renameThread: z.object({ threadId: threadId.optional(), title }),
  deleteThread: z.object({ threadId: threadId.optional(), confirm: z.literal(false) }),
  clearSession: z.object({ confirm: z.literal(false) }),
  /** `source` absent = the source in settings (so scripts written before VS Code models keep working). */
  selectModel: z.object({ model: z.string().min(1).max(200), source: z.enum(['openai-compatible', 'vscode']).optional() }),
  setApiKey: z.object({ key: z.string().max(10_000) }),
  /** Searches without the quick pick and opens hit number `pick` (default the first). */
  searchHistory: z.object({ query: z.string().max(1000), pick: z.int().min(0).max(1000).optional() }),
  /** Which chat's find bar: the keybindings say where the key was pressed. */
  findInThread: z.object({ surface: z.enum(['panel', 'view']) }),
  pinThread: z.object({ threadId }),
  unpinThread: z.object({ threadId }),
  /** Forks the shown thread through this turn (its first row id) instead of the last turn. */
  forkThread: z.object({ turnId: z.int().min(0) }),
};

type Schemas = typeof schemas;

/** The parsed argument of command `name`, or undefined when the caller passed none or something else. */
export function commandArgs<K extends keyof Schemas>(name: K, raw: unknown): z.infer<Schemas[K]> | undefined {
  const result = schemas[name].safeParse(raw);
  return result.success ? (result.data as z.infer<Schemas[K]>) : undefined;
}
