import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import ignoreModule, { type Ignore } from 'ignore';
import { minimatch } from 'minimatch';

/**
 * What the workspace tools may see: only the workspace folders, never a blocked file (no approval
 * overrides that), nothing `files.exclude` hides or a `.gitignore` ignores.
 */

/** A workspace folder as the tools see it. */
export interface ToolFolder {
  /** The folder's name (a multi-root path may start with it). */
  name: string;
  /** Absolute path on disk. */
  root: string;
}

/** The host's settings for the tools, as plain values. */
export interface ToolPolicy {
  folders: ToolFolder[];
  /** `files.exclude` patterns that are switched on. */
  exclude: string[];
  /** `sessionChat.tools.blockedFiles`. */
  blocked: string[];
  /** Largest file read_file or search_text opens, in bytes. */
  maxFileBytes: number;
}

/** `ignore` is CommonJS with a `default` on its function: the same function under either loader. */
const ignore = ignoreModule.default;

/** Default of `sessionChat.tools.blockedFiles`. */
export const DEFAULT_BLOCKED_FILES = ['.env*', '*.pem', '*.key', 'id_*', '.npmrc', '.git/**'];

/** Default largest file the tools open. */
export const DEFAULT_TOOL_MAX_FILE_BYTES = 1_000_000;

/** A pattern without a slash matches a name anywhere; with one, a path starting at any folder. */
function anywhere(pattern: string): string {
  const trimmed = pattern.replace(/^\/+/, '');
  return trimmed.startsWith('**/') ? trimmed : `**/${trimmed}`;
}

/** Why a path is hidden from the tools, in words the model (and the user) can read. */
export type HiddenReason = { kind: 'blocked'; pattern: string } | { kind: 'excluded'; pattern: string } | { kind: 'gitignored' };

/** The matching rules of one policy, with each folder's `.gitignore` files read once. */
export class PathRules {
  readonly policy: ToolPolicy;
  readonly #gitignores = new Map<string, Ignore | null>();

  constructor(policy: ToolPolicy) {
    this.policy = policy;
  }

  /** The blocked pattern `rel` (a folder-relative path with `/`) matches, if any. Case-insensitive: `.ENV` is `.env` on many disks. */
  blockedBy(rel: string): string | undefined {
    return this.policy.blocked.find((pattern) => pattern.trim() !== '' && minimatch(rel, anywhere(pattern.trim()), { dot: true, nocase: true }));
  }

  /** Why `rel` in `folder` is hidden, or undefined when the tools may see it. */
  hidden(folder: ToolFolder, rel: string): HiddenReason | undefined {
    const blocked = this.blockedBy(rel);
    if (blocked) return { kind: 'blocked', pattern: blocked };
    const segments = rel.split('/');
    for (let end = 1; end <= segments.length; end++) {
      const prefix = segments.slice(0, end).join('/');
      const excluded = this.policy.exclude.find((pattern) => minimatch(prefix, pattern.replace(/^\/+/, ''), { dot: true }));
      if (excluded) return { kind: 'excluded', pattern: excluded };
    }
    if (this.#gitignored(folder, segments)) return { kind: 'gitignored' };
    return undefined;
  }

  /** True when a `.gitignore` at the root or in a folder on the way ignores the path. */
  #gitignored(folder: ToolFolder, segments: string[]): boolean {
    for (let depth = 0; depth < segments.length; depth++) {
      const dir = segments.slice(0, depth).join('/');
      const rules = this.#gitignoreOf(folder, dir);
      if (!rules) continue;
      // Each ancestor folder is tested as a folder (trailing slash), then the path itself.
      for (let end = depth + 1; end <= segments.length; end++) {
        const below = segments.slice(depth, end).join('/');
        if (rules.ignores(end < segments.length ? `${below}/` : below)) return true;
      }
    }
    return false;
  }

  #gitignoreOf(folder: ToolFolder, dir: string): Ignore | null {
    const file = posix.join(folder.root.replaceAll('\\', '/'), dir, '.gitignore');
    if (!this.#gitignores.has(file)) {
      let rules: Ignore | null;
      try {
        rules = ignore().add(readFileSync(file, 'utf8'));
      } catch {
        rules = null;
      }
      this.#gitignores.set(file, rules);
    }
    return this.#gitignores.get(file) ?? null;
  }
}

/** The sentence a tool returns for a hidden path. */
export function hiddenText(shown: string, reason: HiddenReason): string {
  switch (reason.kind) {
    case 'blocked':
      return `${shown} is blocked by the setting sessionChat.tools.blockedFiles (pattern "${reason.pattern}"): Session Chat never shows it to the model.`;
    case 'excluded':
      return `${shown} is excluded by the setting files.exclude (pattern "${reason.pattern}").`;
    case 'gitignored':
      return `${shown} is ignored by .gitignore.`;
  }
}
