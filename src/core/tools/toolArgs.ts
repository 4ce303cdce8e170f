import { z } from 'zod';
import type { WorkspaceToolName } from './toolDefinitions.ts';

/* The arguments of each tool, checked strictly: the model's JSON is untrusted input. */

const path = z.string().min(1, 'path is empty').max(4096);
const line = z.int().min(1);

const argSchemas = {
  read_file: z.strictObject({ path, startLine: line.optional(), endLine: line.optional() })
    .refine((args) => args.startLine === undefined || args.endLine === undefined || args.startLine <= args.endLine, 'startLine is after endLine'),
  list_files: z.strictObject({ glob: z.string().min(1, 'glob is empty').max(1000) }),
  search_text: z.strictObject({ query: z.string().min(1, 'query is empty').max(1000), isRegex: z.boolean().optional(), glob: z.string().min(1).max(1000).optional() }),
  get_problems: z.strictObject({ path: path.optional() }),
} satisfies Record<WorkspaceToolName, z.ZodType>;

export type ToolArgs = { [N in WorkspaceToolName]: z.infer<(typeof argSchemas)[N]> };

/** Parsed arguments, or the words the model gets back instead of a result. */
export type ParsedArgs<N extends WorkspaceToolName> = { ok: true; args: ToolArgs[N] } | { ok: false; message: string };

/** Parses a call's JSON arguments; every way they can be wrong gets a sentence the model can act on. */
export function parseToolArgs<N extends WorkspaceToolName>(name: N, json: string): ParsedArgs<N> {
  let value: unknown;
  try {
    // Models send "" for a call without arguments.
    value = json.trim() === '' ? {} : JSON.parse(json);
  } catch {
    return { ok: false, message: `Invalid arguments for ${name}: they are not valid JSON.` };
  }
  const parsed = argSchemas[name].safeParse(value);
  if (parsed.success) return { ok: true, args: parsed.data as ToolArgs[N] };
  const problems = parsed.error.issues.map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message));
  return { ok: false, message: `Invalid arguments for ${name}: ${problems.join('; ')}.` };
}
