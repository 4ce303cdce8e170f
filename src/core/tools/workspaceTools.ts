import { open, stat } from 'node:fs/promises';
import { minimatch } from 'minimatch';
import { PathRules, type ToolPolicy } from './pathRules.ts';
import { resolveToolPath, shownPath, type ToolPath } from './resolvePath.ts';
import { parseToolArgs, type ToolArgs } from './toolArgs.ts';
import { isWorkspaceToolName, WORKSPACE_TOOL_NAMES } from './toolDefinitions.ts';
import { walkFiles } from './walkFiles.ts';

/** Longest tool output, in characters; the rest is cut with a note, so one call cannot flood the context. */
export const MAX_TOOL_OUTPUT_CHARS = 60_000;
/** Most paths list_files returns, and most matches search_text returns. */
export const MAX_LISTED = 500;
export const MAX_MATCHES = 200;

/** A problem VS Code reports, as the host hands it over. */
export interface Problem {
  /** Absolute path of the file. */
  file: string;
  /** 1-based. */
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
  source?: string;
}

/** What the tools need from the editor: the policy, and the diagnostics (of one file, or all). */
export interface ToolEnvironment {
  policy: ToolPolicy;
  problems(file?: string): Problem[] | Promise<Problem[]>;
}

/**
 * A call checked before anyone is asked: `refused` calls (unknown tool, wrong arguments, a path
 * outside the workspace, a blocked file) get their output without approval; `ready` ones run once allowed.
 */
export type PreparedCall = { kind: 'refused'; output: string } | { kind: 'ready'; run(signal: AbortSignal): Promise<string> };

function capped(text: string): string {
  if (text.length <= MAX_TOOL_OUTPUT_CHARS) return text;
  return `${text.slice(0, MAX_TOOL_OUTPUT_CHARS)}\n[Output cut at ${MAX_TOOL_OUTPUT_CHARS.toLocaleString('en-US')} characters: ask for a smaller range.]`;
}

/** Reads a file the tools may open as text, or says why not (missing, a folder, too large, binary). */
async function readText(path: ToolPath, maxBytes: number): Promise<{ ok: true; text: string } | { ok: false; message: string }> {
  let info;
  try {
    info = await stat(path.abs);
  } catch {
    return { ok: false, message: `There is no file ${path.shown || '(the folder itself)'} in the workspace.` };
  }
  if (info.isDirectory()) return { ok: false, message: `${path.shown || path.folder.name} is a folder, not a file: use list_files to see what it holds.` };
  if (info.size > maxBytes) return { ok: false, message: `${path.shown} is ${info.size.toLocaleString('en-US')} bytes, over the tools' limit of ${maxBytes.toLocaleString('en-US')} bytes: it was not read.` };
  const handle = await open(path.abs, 'r');
  try {
    const bytes = await handle.readFile();
    // As git does: a NUL byte in the first 8 KB means binary.
    if (bytes.subarray(0, 8000).includes(0)) return { ok: false, message: `${path.shown} is a binary file: only text files can be read.` };
    return { ok: true, text: bytes.toString('utf8') };
  } finally {
    await handle.close();
  }
}

function numbered(lines: string[], first: number): string {
  return lines.map((line, index) => `${first + index}: ${line}`).join('\n');
}

/** The four read-only workspace tools over one policy. */
export class WorkspaceTools {
  readonly #env: ToolEnvironment;
  readonly #rules: PathRules;

  constructor(env: ToolEnvironment) {
    this.#env = env;
    this.#rules = new PathRules(env.policy);
  }

  /** Checks a call without running it; see {@link PreparedCall}. */
  prepare(name: string, argsJson: string): PreparedCall {
    if (!isWorkspaceToolName(name)) return { kind: 'refused', output: `There is no tool named "${name}". The tools are: ${WORKSPACE_TOOL_NAMES.join(', ')}.` };
    const parsed = parseToolArgs(name, argsJson);
    if (!parsed.ok) return { kind: 'refused', output: parsed.message };
    switch (name) {
      case 'read_file': return this.#prepareRead(parsed.args as ToolArgs['read_file']);
      case 'list_files': return { kind: 'ready', run: (signal) => this.#list(parsed.args as ToolArgs['list_files'], signal) };
      case 'search_text': return this.#prepareSearch(parsed.args as ToolArgs['search_text']);
      case 'get_problems': return this.#prepareProblems(parsed.args as ToolArgs['get_problems']);
    }
  }

  #prepareRead(args: ToolArgs['read_file']): PreparedCall {
    const resolved = resolveToolPath(this.#rules, args.path);
    if (!resolved.ok) return { kind: 'refused', output: resolved.message };
    return {
      kind: 'ready',
      run: async () => {
        const read = await readText(resolved.path, this.#env.policy.maxFileBytes);
        if (!read.ok) return read.message;
        const lines = read.text.split(/\r?\n/);
        const start = args.startLine ?? 1;
        if (start > lines.length) return `${resolved.path.shown} has ${lines.length} lines; startLine ${start} is past its end.`;
        const end = Math.min(args.endLine ?? lines.length, lines.length);
        const header = `${resolved.path.shown} (lines ${start}-${end} of ${lines.length})`;
        return capped(`${header}\n${numbered(lines.slice(start - 1, end), start)}`);
      },
    };
  }

  async #list(args: ToolArgs['list_files'], signal: AbortSignal): Promise<string> {
    const { files, truncated } = await walkFiles(this.#rules, signal);
    const glob = args.glob.replace(/^\.?\/+/, '');
    const matches = files
      .map((file) => shownPath(this.#rules, file.folder, file.rel))
      .filter((shown, index) => minimatch(files[index]!.rel, glob, { dot: true, matchBase: !glob.includes('/') }) || minimatch(shown, glob, { dot: true }));
    if (matches.length === 0) return `No files match "${args.glob}".${truncated ? ' (The workspace is large: only the first part was searched.)' : ''}`;
    const shown = matches.slice(0, MAX_LISTED);
    const notes = [
      ...(matches.length > MAX_LISTED ? [`[${matches.length - MAX_LISTED} more files match: use a narrower glob.]`] : []),
      ...(truncated ? ['[The workspace is large: only the first part was searched.]'] : []),
    ];
    return capped([...shown, ...notes].join('\n'));
  }

  #prepareSearch(args: ToolArgs['search_text']): PreparedCall {
    let pattern: RegExp;
    try {
      pattern = args.isRegex ? new RegExp(args.query) : new RegExp(args.query.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
    } catch (error) {
      return { kind: 'refused', output: `Invalid arguments for search_text: the regular expression does not compile (${error instanceof Error ? error.message : String(error)}).` };
    }
    return { kind: 'ready', run: (signal) => this.#search(args, pattern, signal) };
  }

  async #search(args: ToolArgs['search_text'], pattern: RegExp, signal: AbortSignal): Promise<string> {
    const { files, truncated } = await walkFiles(this.#rules, signal);
    const glob = args.glob?.replace(/^\.?\/+/, '');
    const matches: string[] = [];
    let more = 0;
    for (const file of files) {
      if (glob && !minimatch(file.rel, glob, { dot: true, matchBase: !glob.includes('/') })) continue;
      const shown = shownPath(this.#rules, file.folder, file.rel);
      const read = await readText({ ...file, shown }, this.#env.policy.maxFileBytes);
      if (!read.ok) continue;
      read.text.split(/\r?\n/).forEach((line, index) => {
        if (!pattern.test(line)) return;
        if (matches.length < MAX_MATCHES) matches.push(`${shown}:${index + 1}: ${line.length > 300 ? `${line.slice(0, 300)}…` : line}`);
        else more++;
      });
    }
    if (matches.length === 0) return `No matches for "${args.query}".${truncated ? ' (The workspace is large: only the first part was searched.)' : ''}`;
    const notes = [...(more > 0 ? [`[${more} more matches: narrow the query or the glob.]`] : []), ...(truncated ? ['[The workspace is large: only the first part was searched.]'] : [])];
    return capped([...matches, ...notes].join('\n'));
  }

  #prepareProblems(args: ToolArgs['get_problems']): PreparedCall {
    let only: ToolPath | undefined;
    if (args.path !== undefined) {
      const resolved = resolveToolPath(this.#rules, args.path);
      if (!resolved.ok) return { kind: 'refused', output: resolved.message };
      only = resolved.path;
    }
    return {
      kind: 'ready',
      run: async () => {
        const problems = await this.#env.problems(only?.abs);
        const lines: string[] = [];
        for (const problem of problems) {
          const where = this.#shownFile(problem.file);
          if (where === undefined) continue;
          lines.push(`${where}:${problem.line}:${problem.column}: ${problem.severity}: ${problem.message}${problem.source ? ` (${problem.source})` : ''}`);
        }
        if (lines.length === 0) return only ? `No problems reported for ${only.shown}.` : 'No problems reported in the workspace.';
        return capped(lines.join('\n'));
      },
    };
  }

  /** A diagnostic's file as the tools name it; undefined for files the tools may not show. */
  #shownFile(file: string): string | undefined {
    for (const folder of this.#env.policy.folders) {
      const resolved = resolveToolPath(this.#rules, file);
      if (resolved.ok && resolved.path.folder === folder) return resolved.path.shown;
    }
    return undefined;
  }
}
