import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { gitWorkspaceKey, mainRemote, normaliseRemoteUrl, parseGitConfigRemotes } from './gitRemote.ts';

/** Where a folder sits in a git repository, and the repository's name on every machine. */
export interface GitIdentity {
  /** The repository's top folder on this machine. */
  root: string;
  /** The folder's path inside the repository, `/`-separated ('' at the top). */
  pathInRepo: string;
  /** The main remote's URL, normalised (see normaliseRemoteUrl). */
  remote: string;
  /** The workspace key built from them (see gitWorkspaceKey). */
  key: string;
}

/**
 * Reads the repository that holds `folder` straight from its files (`.git/config`; a worktree's or
 * submodule's `.git` file is followed): no `git` executable, no VS Code git extension. Undefined
 * when the folder is in no repository or the repository has no remote (nothing names it on
 * another machine).
 */
export function gitIdentity(folder: string): GitIdentity | undefined {
  const found = findRepository(resolve(folder));
  if (!found) return undefined;
  let text: string;
  try {
    text = readFileSync(join(found.commonDir, 'config'), 'utf8');
  } catch {
    return undefined;
  }
  const remote = mainRemote(parseGitConfigRemotes(text));
  const normalised = remote && normaliseRemoteUrl(resolveLocalRemote(remote.url, found.root));
  if (!normalised) return undefined;
  const pathInRepo = relative(found.root, resolve(folder)).split(sep).join('/');
  return { root: found.root, pathInRepo, remote: normalised, key: gitWorkspaceKey(normalised, pathInRepo) };
}

/** A relative local remote (`../upstream.git`) is relative to the repository's top folder. */
function resolveLocalRemote(url: string, root: string): string {
  return url.startsWith('./') || url.startsWith('../') ? resolve(root, url) : url;
}

/** The top folder and the git directory that holds the config, walking up from `start`. */
function findRepository(start: string): { root: string; commonDir: string } | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const dotGit = join(dir, '.git');
    const kind = kindOf(dotGit);
    if (kind === 'dir') return { root: dir, commonDir: dotGit };
    if (kind === 'file') {
      const gitDir = gitDirFromFile(dotGit, dir);
      if (gitDir) return { root: dir, commonDir: commonDirOf(gitDir) };
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function kindOf(path: string): 'dir' | 'file' | undefined {
  try {
    const stat = statSync(path);
    return stat.isDirectory() ? 'dir' : stat.isFile() ? 'file' : undefined;
  } catch {
    return undefined;
  }
}

/** A `.git` file (worktree, submodule) says `gitdir: <path>`. */
function gitDirFromFile(file: string, dir: string): string | undefined {
  try {
    const match = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(file, 'utf8'));
    if (!match) return undefined;
    return isAbsolute(match[1]!) ? match[1]! : resolve(dir, match[1]!);
  } catch {
    return undefined;
  }
}

/** A worktree's git directory names the main one in `commondir`; a submodule's has its own config. */
function commonDirOf(gitDir: string): string {
  try {
    const common = readFileSync(join(gitDir, 'commondir'), 'utf8').trim();
    return isAbsolute(common) ? common : resolve(gitDir, common);
  } catch {
    return gitDir;
  }
}
