import { existsSync, realpathSync } from 'node:fs';
import { isAbsolute, join, relative, sep, win32 } from 'node:path';
import { hiddenText, type PathRules, type ToolFolder } from './pathRules.ts';

/** A path the tools may open: its folder, its folder-relative form (with `/`) and where it is on disk. */
export interface ToolPath {
  folder: ToolFolder;
  rel: string;
  abs: string;
  /** How results name it: the relative path, prefixed with the folder's name in a multi-root workspace. */
  shown: string;
}

export type Resolved = { ok: true; path: ToolPath } | { ok: false; message: string };

/** True when `child` is `parent` or inside it (both absolute, already real or already normalised). */
export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

export function shownPath(rules: PathRules, folder: ToolFolder, rel: string): string {
  return rules.policy.folders.length > 1 ? `${folder.name}/${rel}` : rel;
}

function realOrSelf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/** Picks the folder a relative path means: a leading folder name in a multi-root workspace, else the first folder that has it. */
function pickFolder(folders: ToolFolder[], segments: string[]): { folder: ToolFolder; segments: string[] } {
  if (folders.length > 1 && segments.length > 1) {
    const named = folders.find((folder) => folder.name === segments[0]);
    if (named) return { folder: named, segments: segments.slice(1) };
  }
  const holding = folders.find((folder) => existsSync(join(folder.root, ...segments)));
  return { folder: holding ?? folders[0]!, segments };
}

function fromAbsolute(folders: ToolFolder[], raw: string): { folder: ToolFolder; segments: string[] } | undefined {
  for (const folder of folders) {
    if (isInside(folder.root, raw)) return { folder, segments: relative(folder.root, raw).split(sep).filter((s) => s !== '' && s !== '.') };
  }
  return undefined;
}

/**
 * Resolves the `path` a tool was given, or says why it may not be opened: outside the workspace
 * folders (`..`, an absolute path elsewhere, a symbolic link that leads out), blocked, excluded,
 * or ignored by `.gitignore`. Whether the file exists is the tool's business.
 */
export function resolveToolPath(rules: PathRules, raw: string): Resolved {
  const folders = rules.policy.folders;
  if (folders.length === 0) return { ok: false, message: 'No folder is open in this VS Code window, so there are no workspace files.' };
  if (raw.includes('\0')) return { ok: false, message: 'The path contains a NUL character.' };
  const absolute = isAbsolute(raw) || win32.isAbsolute(raw);
  const segments = raw.replaceAll('\\', '/').split('/');
  if (segments.includes('..')) return { ok: false, message: `"${raw}" contains "..": paths must stay inside the workspace folders.` };
  const picked = absolute ? fromAbsolute(folders, raw) : pickFolder(folders, segments.filter((s) => s !== '' && s !== '.'));
  if (!picked) return { ok: false, message: `"${raw}" is outside the workspace folders: give a path relative to a workspace folder.` };
  const { folder } = picked;
  const rel = picked.segments.join('/');
  const path: ToolPath = { folder, rel, abs: join(folder.root, ...picked.segments), shown: shownPath(rules, folder, rel) };
  if (rel === '') return { ok: true, path };
  const hidden = rules.hidden(folder, rel);
  if (hidden) return { ok: false, message: hiddenText(path.shown, hidden) };
  // A symbolic link (the file or a folder on the way) may lead out of the folder, or to a blocked file.
  const real = realOrSelf(path.abs);
  const realRoot = realOrSelf(folder.root);
  if (!isInside(realRoot, real)) return { ok: false, message: `${path.shown} leads outside the workspace folder (through a symbolic link).` };
  const realRel = relative(realRoot, real).split(sep).join('/');
  if (realRel !== '' && realRel !== rel) {
    const realHidden = rules.hidden(folder, realRel);
    if (realHidden) return { ok: false, message: hiddenText(`${path.shown} (a link to ${realRel})`, realHidden) };
  }
  return { ok: true, path };
}
