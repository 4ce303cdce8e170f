import type { ImportThreadResult, ThreadInfo } from '../store/historyStore.ts';
import type { SkippedSource } from './threadRecord.ts';

/** What an import did, counted as it goes, for the closing summary. */
export interface ImportTally {
  /** Threads made or changed (created, extended, copied). */
  imported: number;
  /** Items those threads gained. */
  items: number;
  /** Threads that were already here with everything the file holds. */
  unchanged: number;
  skipped: SkippedSource[];
  /** The first thread made or changed: the summary's button opens it. */
  first?: ThreadInfo;
  /** Workspace keys the changed threads are in, for "where they went". */
  workspaces: Set<string>;
  cancelled: boolean;
}

export function newTally(): ImportTally {
  return { imported: 0, items: 0, unchanged: 0, skipped: [], workspaces: new Set(), cancelled: false };
}

export function countResult(tally: ImportTally, result: ImportThreadResult): void {
  if (result.status === 'unchanged') {
    tally.unchanged++;
    return;
  }
  tally.imported++;
  tally.items += result.added;
  tally.first ??= result.thread;
  tally.workspaces.add(result.thread.workspaceKey);
}

/**
 * The workspace an imported thread goes to: the one its file names when this store already has
 * threads there (the same machine, or a workspace opened here before), else the current one.
 */
export function chooseWorkspace(named: string, current: string, known: ReadonlySet<string>): string {
  return named !== '' && known.has(named) ? named : current;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/**
 * One sentence for the closing notification, e.g. "Imported 12 threads, 3,410 items into this
 * workspace; 2 were already here; skipped 2 files: a.json (not valid JSON), b.txt (unknown format)."
 * `workspaceName` names a workspace key for the user ("this workspace" for the current one).
 */
export function summarize(tally: ImportTally, workspaceName: (key: string) => string): string {
  if (tally.imported === 0 && tally.unchanged === 0 && tally.skipped.length === 0) {
    return tally.cancelled ? 'Import cancelled before any thread was read.' : 'Found nothing to import: no file there holds a conversation Session Chat can read.';
  }
  const parts: string[] = [];
  if (tally.imported > 0) {
    const where = [...tally.workspaces].map(workspaceName).join(' and ');
    parts.push(`Imported ${plural(tally.imported, 'thread')}, ${plural(tally.items, 'item')} into ${where}`);
  } else {
    parts.push('Imported nothing new');
  }
  if (tally.unchanged > 0) parts.push(`${plural(tally.unchanged, 'thread was', 'threads were')} already here`);
  if (tally.skipped.length > 0) {
    const shown = tally.skipped.slice(0, 3).map((s) => `${baseName(s.source)} (${s.reason})`);
    const more = tally.skipped.length > 3 ? `, and ${tally.skipped.length - 3} more (see the Session Chat log)` : '';
    parts.push(`skipped ${plural(tally.skipped.length, 'file')}: ${shown.join(', ')}${more}`);
  }
  const sentence = `${parts.join('; ')}.`;
  return tally.cancelled ? `Import cancelled; kept what finished before it. ${sentence}` : sentence;
}

/** The last part of a path (either separator), keeping a `#conversation` suffix. */
function baseName(source: string): string {
  const cut = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
  return cut >= 0 ? source.slice(cut + 1) : source;
}
