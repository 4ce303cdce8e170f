/**
 * A git remote URL reduced to what names the repository on every machine: host and path, lower
 * case, without scheme, user, password, port, a trailing `.git` or slash. The ssh forms
 * (`git@host:owner/repo.git`, `ssh://git@host:22/owner/repo`) and the https form
 * (`https://user:token@host/owner/repo.git`) of one repository give the same string. Azure DevOps'
 * ssh (`ssh.dev.azure.com:v3/org/project/repo`) and https (`dev.azure.com/org/project/_git/repo`)
 * forms agree too. A local path stays a path (`file:/srv/git/repo`): it names the repository only on
 * that machine. Undefined for an empty or unreadable URL.
 */
export function normaliseRemoteUrl(remote: string): string | undefined {
  const url = remote.trim();
  if (url === '') return undefined;
  const parts = splitRemote(url);
  if (!parts) return undefined;
  const { host, path } = parts;
  if (host === undefined) return `file:${tidyPath(path, false)}`;
  const cleanHost = host.toLowerCase().replace(/^www\./, '');
  let cleanPath = tidyPath(path, true).toLowerCase();
  if (cleanPath === '') return undefined;
  // Azure DevOps names one repository two ways.
  if (cleanHost === 'ssh.dev.azure.com' && cleanPath.startsWith('v3/')) return `dev.azure.com/${cleanPath.slice(3)}`;
  if (cleanHost === 'dev.azure.com' || cleanHost.endsWith('.visualstudio.com')) {
    cleanPath = cleanPath.replace('/_git/', '/');
    if (cleanHost.endsWith('.visualstudio.com')) return `dev.azure.com/${cleanHost.slice(0, -'.visualstudio.com'.length)}/${cleanPath}`;
  }
  return `${cleanHost}/${cleanPath}`;
}

/** Host (absent for a local path) and path of a remote in any of git's URL syntaxes. */
function splitRemote(url: string): { host?: string; path: string } | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url);
  if (scheme) {
    const name = scheme[1]!.toLowerCase();
    if (name === 'file') return { path: decodeSafe(url.slice(scheme[0].length).replace(/^[^/]*/, '')) };
    try {
      const parsed = new URL(url);
      if (!parsed.hostname) return undefined;
      return { host: parsed.hostname, path: decodeSafe(parsed.pathname) };
    } catch {
      return undefined;
    }
  }
  // scp-like syntax: [user@]host:path, where host has no slash (git's own rule) and is not a drive letter.
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/\/)(.*)$/.exec(url);
  if (scp && !/^[a-z]$/i.test(scp[1]!)) return { host: scp[1]!.replace(/^\[|\]$/g, ''), path: scp[2]! };
  return { path: url };
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** No leading (for hosts) or trailing slashes, no `.git` suffix, `\` as `/`. */
function tidyPath(path: string, relative: boolean): string {
  let result = path.replace(/\\/g, '/').replace(/\/+$/, '').replace(/\.git$/i, '').replace(/\/+$/, '');
  if (relative) result = result.replace(/^\/+/, '');
  return result;
}

/** One `[remote "name"]` section's url from a git config file's text. */
export interface ConfigRemote {
  name: string;
  url: string;
}

/**
 * The remotes of a git config file, in file order (the first url of each; `pushurl` is ignored).
 * Handles git's syntax as far as remotes need: sections, quoted values, `;`/`#` comments.
 */
export function parseGitConfigRemotes(text: string): ConfigRemote[] {
  const remotes: ConfigRemote[] = [];
  let section: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const header = /^\[\s*remote\s+"((?:[^"\\]|\\.)*)"\s*\]/i.exec(line);
    if (header) {
      section = header[1]!.replace(/\\(.)/g, '$1');
      continue;
    }
    if (line.startsWith('[')) {
      section = undefined;
      continue;
    }
    if (section === undefined) continue;
    const entry = /^url\s*=\s*(.*)$/i.exec(line);
    if (!entry || remotes.some((remote) => remote.name === section)) continue;
    remotes.push({ name: section, url: configValue(entry[1]!) });
  }
  return remotes;
}

/** A config value without its quotes or a trailing comment. */
function configValue(raw: string): string {
  let value = '';
  let quoted = false;
  for (let i = 0; i < raw.length; i++) {
    const char = raw[i]!;
    if (char === '\\' && i + 1 < raw.length) value += raw[++i];
    else if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '#' || char === ';')) break;
    else value += char;
  }
  return value.trim();
}

/** The remote that names the repository: `origin` when there is one, else the first. */
export function mainRemote(remotes: readonly ConfigRemote[]): ConfigRemote | undefined {
  return remotes.find((remote) => remote.name === 'origin') ?? remotes[0];
}

/**
 * The workspace key that travels: `git:<normalised remote>` for a repository's top folder, with
 * `#<path inside the repository>` for a folder below it (always `/`-separated).
 */
export function gitWorkspaceKey(normalisedRemote: string, pathInRepo: string): string {
  const inside = pathInRepo.replace(/\\/g, '/').replace(/^\/+|\/+$/g, '');
  return inside === '' || inside === '.' ? `git:${normalisedRemote}` : `git:${normalisedRemote}#${inside}`;
}
