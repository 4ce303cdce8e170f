import { lstat, readdir, realpath } from 'node:fs/promises';
import { join } from 'node:path';

/** Folders never walked into: dependencies and version control hold no conversations. */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);

/** How deep a folder is walked below the one chosen (Cline's tasks/<id>/ file is 2 below). */
export const MAX_WALK_DEPTH = 8;

/** How many files one chosen folder may offer before the walk stops (a home folder chosen by mistake). */
export const MAX_WALK_FILES = 20_000;

/** One file to look at, and whether the user named it or a folder walk found it. */
export interface SourceFile {
  path: string;
  /** Named by the user (its problems are always reported) or found in a chosen folder. */
  chosen: boolean;
  /** The chosen folder it was found in. */
  root?: string;
}

/** A walk that ran into a limit. */
export interface WalkLimit {
  root: string;
  reason: string;
}

/**
 * The files behind the chosen paths, each once (by real path), folders walked in name order,
 * without following symbolic links (no cycles, no escaping the folder), skipping node_modules and
 * .git. Bounded by {@link MAX_WALK_DEPTH} and {@link MAX_WALK_FILES}; a walk that hits a bound
 * yields a {@link WalkLimit} and moves on to the next chosen path.
 */
export async function* walkSources(paths: readonly string[], signal?: AbortSignal): AsyncGenerator<SourceFile | WalkLimit> {
  const seen = new Set<string>();
  for (const path of paths) {
    if (signal?.aborted) return;
    let info;
    try {
      info = await lstat(path);
    } catch {
      yield { root: path, reason: 'It does not exist or cannot be read.' };
      continue;
    }
    if (!info.isDirectory()) {
      const real = await realpath(path).catch(() => path);
      if (seen.has(real)) continue;
      seen.add(real);
      yield { path, chosen: true };
      continue;
    }
    const counter = { files: 0 };
    const limit = yield* walkFolder(path, path, 0, counter, seen, signal);
    if (limit) yield limit;
  }
}

async function* walkFolder(root: string, folder: string, depth: number, counter: { files: number }, seen: Set<string>, signal: AbortSignal | undefined): AsyncGenerator<SourceFile, WalkLimit | undefined> {
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch {
    return depth === 0 ? { root, reason: 'The folder cannot be read.' } : undefined;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (signal?.aborted) return undefined;
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED_FOLDERS.has(entry.name)) continue;
      if (depth + 1 > MAX_WALK_DEPTH) continue;
      const limit = yield* walkFolder(root, path, depth + 1, counter, seen, signal);
      if (limit) return limit;
    } else if (entry.isFile()) {
      if (++counter.files > MAX_WALK_FILES) return { root, reason: `The folder holds more than ${MAX_WALK_FILES.toLocaleString('en-US')} files; the rest were not looked at (choose a smaller folder).` };
      const real = await realpath(path).catch(() => path);
      if (seen.has(real)) continue;
      seen.add(real);
      yield { path, chosen: false, root };
    }
  }
  return undefined;
}
