import { readFile, stat } from 'node:fs/promises';
import { readExportFile } from './exportReader.ts';
import { DEFAULT_MAX_FILE_BYTES, NOT_RECOGNISED, formatBytes, skipped, type ImportEvent, type ReadOptions } from './importEvent.ts';
import { recogniseJson } from './jsonSources.ts';
import { readSqliteSource } from './sqliteSource.ts';
import { sniffFile } from './sniff.ts';
import { readVsCodeChatLog } from './vscodeChat.ts';
import { walkSources, type SourceFile } from './walkSources.ts';

export type { ImportEvent } from './importEvent.ts';
export { listVsCodeChatSessions } from './vscodeChat.ts';

/**
 * Reads every conversation in the chosen files and folders, one event at a time: a thread for the
 * store, or a file (or conversation) skipped with a one-sentence reason. Files are recognised by
 * content (see sniff.ts and jsonSources.ts): Session Chat exports, SQLite files with the Agents
 * SDK's tables, VS Code chat sessions (.json and .jsonl), Continue sessions, Cline and Roo Code
 * tasks. A problem with one file never stops the rest. Folders are walked (walkSources.ts);
 * in them, JSON and SQLite files of no known shape are counted, and one event per folder says how
 * many, instead of one line for every unrelated file; other files (text, images) are passed over.
 * A file the user named is always reported. Once `signal` fires no further thread is read.
 */
export async function* readImportSources(paths: readonly string[], options: ReadOptions = {}): AsyncGenerator<ImportEvent> {
  const signal = options.signal;
  const unrecognised = new Map<string, number>();
  for await (const entry of walkSources(paths, signal)) {
    if (!('path' in entry)) {
      yield skipped(entry.root, entry.reason);
      continue;
    }
    for await (const event of readSource(entry, options)) {
      if (signal?.aborted) return;
      if (event === NOT_RECOGNISED) unrecognised.set(entry.root!, (unrecognised.get(entry.root!) ?? 0) + 1);
      else yield event;
    }
    if (signal?.aborted) return;
  }
  for (const [root, count] of unrecognised) {
    yield skipped(root, count === 1 ? 'One JSON or SQLite file in it holds no conversation Session Chat can import.' : `${count.toLocaleString('en-US')} JSON or SQLite files in it hold no conversation Session Chat can import.`);
  }
}

async function* readSource(file: SourceFile, options: ReadOptions): AsyncGenerator<ImportEvent | typeof NOT_RECOGNISED> {
  const { path } = file;
  let kind;
  try {
    kind = await sniffFile(path);
  } catch (err) {
    yield skipped(path, `It cannot be read: ${reasonOf(err)}.`);
    return;
  }
  if (kind === 'export') {
    yield* readExportFile(path, options);
    return;
  }
  if (kind === 'sqlite') {
    for (const event of readSqliteSource(path)) {
      if (event !== NOT_RECOGNISED) yield event;
      else yield file.chosen ? skipped(path, "It is an SQLite database without the Agents SDK's tables (agent_sessions, agent_messages).") : NOT_RECOGNISED;
    }
    return;
  }
  if (kind === 'other') {
    // In a chosen folder, text, images and the like are plainly not conversations: passed over.
    if (file.chosen) yield skipped(path, 'It is in no format Session Chat imports (not JSON, JSON Lines or SQLite).');
    return;
  }
  const text = await readWhole(path, options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES);
  if (typeof text !== 'string') {
    yield skipped(path, text.reason);
    return;
  }
  if (kind === 'jsonl') {
    yield* readVsCodeChatLog(text, path);
    return;
  }
  let document: unknown;
  try {
    document = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    // Another tool's JSON Lines log (one JSON value a line) is not broken, just not ours.
    if (isJsonLines(text)) yield file.chosen ? skipped(path, 'It is JSON Lines in no format Session Chat imports.') : NOT_RECOGNISED;
    else yield skipped(path, `It is not valid JSON: ${reasonOf(err)}.`);
    return;
  }
  const source = recogniseJson(document);
  if (source === 'companion') {
    if (file.chosen) yield skipped(path, 'It is metadata kept beside a conversation (a list, task metadata or UI messages): choose the conversation file or its folder instead.');
    return;
  }
  if (source === undefined) {
    yield file.chosen ? skipped(path, 'It is JSON in no format Session Chat imports.') : NOT_RECOGNISED;
    return;
  }
  yield* await source.read(document, path);
}

/** The file's text, or why it is not read: formats other than our export must be read whole. */
async function readWhole(path: string, maxBytes: number): Promise<string | { reason: string }> {
  try {
    const { size } = await stat(path);
    if (size > maxBytes) return { reason: `It is larger than ${formatBytes(maxBytes)} (${formatBytes(size)}), the most read of a file in this format.` };
    return await readFile(path, 'utf8');
  } catch (err) {
    return { reason: `It cannot be read: ${reasonOf(err)}.` };
  }
}

/** True when the text's first two lines are each a JSON value of their own. */
function isJsonLines(text: string): boolean {
  const lines = text.split('\n', 3).filter((line) => line.trim() !== '');
  if (lines.length < 2) return false;
  try {
    JSON.parse(lines[0]!);
    JSON.parse(lines[1]!);
    return true;
  } catch {
    return false;
  }
}

function reasonOf(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.replace(/\.$/, '');
}
