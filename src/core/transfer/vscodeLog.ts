/**
 * Replays VS Code's append-only chat session log (`chatSessions/<id>.jsonl`) into the session
 * object it describes. Followed: microsoft/vscode
 * `src/vs/workbench/contrib/chat/common/model/objectMutationLog.ts` at commit
 * 047238f9fe1b7661362b3f27cfbddd503339cb1b. One JSON entry a line:
 * - `{kind: 0, v}`: the whole object (first line; a compaction writes a new file starting with it);
 * - `{kind: 1, k: path, v}`: set the property at `path` (an empty path replaces nothing);
 * - `{kind: 2, k: path, v?, i?}`: on the array at `path`, cut it to length `i` if given, then push `v`;
 * - `{kind: 3, k: path}`: delete the property at `path`.
 * Throws with the line number when a line is not JSON or the log does not start with kind 0.
 */
export function applyMutationLog(text: string): unknown {
  let state: unknown;
  let lineNumber = 0;
  for (const line of text.split('\n')) {
    lineNumber++;
    if (line.trim() === '') continue;
    let entry: LooseEntry;
    try {
      entry = JSON.parse(line) as LooseEntry;
    } catch {
      throw new Error(`line ${lineNumber} is not valid JSON`);
    }
    if (entry.kind === 0) {
      state = entry.v;
      continue;
    }
    if (state === undefined) throw new Error('the log does not start with the session');
    const path = Array.isArray(entry.k) ? entry.k : [];
    if (entry.kind === 1) setAt(state, path, entry.v);
    else if (entry.kind === 3) setAt(state, path, undefined);
    else if (entry.kind === 2) pushAt(state, path, entry.v, entry.i);
    else throw new Error(`line ${lineNumber} has an unknown entry kind`);
  }
  if (state === undefined) throw new Error('the log is empty');
  return state;
}

interface LooseEntry {
  kind?: unknown;
  k?: unknown;
  v?: unknown;
  i?: unknown;
}

type Container = Record<string | number, unknown>;

/** The object that holds the last key of `path`; throws where the path leads nowhere. */
function parentOf(state: unknown, path: readonly unknown[]): Container {
  // A file could name `__proto__` to reach Object.prototype: such a path is refused.
  if (path.some((key) => typeof key !== 'string' && typeof key !== 'number')) throw new Error(`the path ${JSON.stringify(path)} is not a list of keys`);
  if (path.some((key) => key === '__proto__' || key === 'constructor' || key === 'prototype')) throw new Error(`the path ${JSON.stringify(path)} is not allowed`);
  let current = state;
  for (let i = 0; i < path.length - 1; i++) {
    current = (current as Container | undefined)?.[path[i] as string];
  }
  if (typeof current !== 'object' || current === null) throw new Error(`the path ${JSON.stringify(path)} leads to no object`);
  return current as Container;
}

function setAt(state: unknown, path: readonly unknown[], value: unknown): void {
  if (path.length === 0) return;
  const key = path[path.length - 1] as string;
  const parent = parentOf(state, path);
  if (value === undefined) delete parent[key];
  else parent[key] = value;
}

function pushAt(state: unknown, path: readonly unknown[], values: unknown, cut: unknown): void {
  if (path.length === 0) return;
  const key = path[path.length - 1] as string;
  const parent = parentOf(state, path);
  const array = Array.isArray(parent[key]) ? (parent[key] as unknown[]) : [];
  if (typeof cut === 'number') array.length = Math.min(array.length, cut);
  if (Array.isArray(values)) array.push(...values);
  parent[key] = array;
}
