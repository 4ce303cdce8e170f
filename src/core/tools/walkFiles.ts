import { opendir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PathRules, ToolFolder } from './pathRules.ts';

/** Most files one walk looks at: a huge workspace gives a partial answer, not a hung turn. */
export const MAX_WALKED_FILES = 20_000;

/** A file a walk found. */
export interface WalkedFile {
  folder: ToolFolder;
  rel: string;
  abs: string;
}

/**
 * Every file of the workspace folders the tools may see, folder by folder, in name order. Symbolic
 * links are not followed (they could lead out), hidden folders (blocked, excluded, ignored) are not
 * entered. `truncated` tells that the walk stopped at {@link MAX_WALKED_FILES}.
 */
export async function walkFiles(rules: PathRules, signal?: AbortSignal): Promise<{ files: WalkedFile[]; truncated: boolean }> {
  const files: WalkedFile[] = [];
  for (const folder of rules.policy.folders) {
    const pending: string[] = [''];
    while (pending.length > 0) {
      if (signal?.aborted) throw new Error('The call was stopped.');
      const dirRel = pending.shift()!;
      let entries;
      try {
        const dir = await opendir(join(folder.root, dirRel));
        entries = [];
        for await (const entry of dir) entries.push(entry);
      } catch {
        continue;
      }
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
        const rel = dirRel ? `${dirRel}/${entry.name}` : entry.name;
        if (entry.isSymbolicLink() || rules.hidden(folder, rel)) continue;
        if (entry.isDirectory()) pending.push(rel);
        else if (entry.isFile()) {
          files.push({ folder, rel, abs: join(folder.root, rel) });
          if (files.length >= MAX_WALKED_FILES) return { files, truncated: true };
        }
      }
    }
  }
  return { files, truncated: false };
}
