import Assembler from 'stream-json/assembler.js';
import parseFile from 'stream-json/file/parser.js';
import type { Token } from 'stream-json/parser.js';
import { EXPORT_FORMAT, EXPORT_VERSION } from './exportFormat.ts';
import { exportedThread } from './exportThread.ts';
import { DEFAULT_MAX_FILE_BYTES, formatBytes, skipped, type ImportEvent, type ReadOptions } from './importEvent.ts';

/**
 * Reads a Session Chat export (docs/formats/README.md) as a stream of tokens (stream-json), so a
 * 200 MB file never sits in memory: only the thread being read is assembled into objects. Each
 * thread is handed on as soon as it is complete, so a file that breaks off halfway (truncated,
 * malformed further down) still gives every thread before the break, then one skipped event.
 */
export async function* readExportFile(path: string, options: ReadOptions = {}): AsyncGenerator<ImportEvent> {
  const state = new HeaderState();
  const maxThreadChars = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  let depth = 0;
  /** The top-level key whose value is being read (or skipped). */
  let key: string | undefined;
  let inThreads = false;
  let position = 0;
  let thread: ThreadAssembly | undefined;
  try {
    for await (const token of parseFile({ streamValues: false })(path)) {
      if (thread) {
        if (!thread.add(token, maxThreadChars)) continue;
        const event = thread.finish(path, position++);
        thread = undefined;
        if (options.signal?.aborted) return;
        yield event;
        continue;
      }
      if (depth === 0) {
        if (token.name !== 'startObject') {
          yield skipped(path, 'It is not a Session Chat export: the document is not a JSON object.');
          return;
        }
        depth = 1;
        continue;
      }
      if (inThreads && depth === 2) {
        if (token.name === 'endArray') {
          inThreads = false;
          depth = 1;
          key = undefined;
        } else if (token.name === 'startObject') {
          thread = new ThreadAssembly();
          thread.add(token, maxThreadChars);
        } else {
          yield skipped(`${path}#${position}`, `Thread ${position + 1} is not a JSON object.`);
          position++;
          // A scalar where a thread should be: nothing to skip past.
        }
        continue;
      }
      if (depth === 1 && key === undefined) {
        if (token.name === 'keyValue') key = token.value;
        else if (token.name === 'endObject') depth = 0;
        continue;
      }
      if (depth === 1 && key === 'threads') {
        const problem = state.problem();
        if (problem) {
          yield skipped(path, problem);
          return;
        }
        if (token.name !== 'startArray') {
          yield skipped(path, 'Its "threads" is not a list.');
          return;
        }
        inThreads = true;
        depth = 2;
        continue;
      }
      // Any other top-level value: the header's scalars are noted, the rest passed over.
      depth += opens(token);
      if (depth === 1) {
        state.note(key!, token);
        key = undefined;
      }
    }
  } catch (err) {
    yield skipped(path, `It is not valid JSON${position > 0 ? ` after thread ${position}` : ''}: ${err instanceof Error ? err.message : String(err)}.`);
    return;
  }
  if (depth !== 0 || thread) {
    // The tokenizer does not complain about input that simply stops: the file was cut short.
    yield skipped(path, `It ends in the middle${position > 0 ? ` after thread ${position}` : ''}: the file is incomplete (an export that did not finish, or a partial copy).`);
    return;
  }
  if (position === 0) {
    const problem = state.problem();
    if (problem) yield skipped(path, problem);
  }
}

/** +1 for a token that opens an object or array, -1 for one that closes it, else 0. */
function opens(token: Token): number {
  if (token.name === 'startObject' || token.name === 'startArray') return 1;
  if (token.name === 'endObject' || token.name === 'endArray') return -1;
  return 0;
}

/** The header fields that decide whether the file is ours and which version it is. */
class HeaderState {
  #format: unknown;
  #version: unknown;

  note(key: string, token: Token): void {
    const value = 'value' in token ? token.value : undefined;
    if (key === 'format') this.#format = value;
    if (key === 'version') this.#version = token.name === 'numberValue' ? Number(value) : value;
  }

  /** Why the file cannot be read, once the threads begin; undefined when it can. */
  problem(): string | undefined {
    if (this.#format !== EXPORT_FORMAT) return `It is not a Session Chat export: "format" is ${this.#format === undefined ? 'missing before the threads' : JSON.stringify(this.#format)}.`;
    const version = this.#version;
    if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return 'Its "version" is missing or not a whole number.';
    if (version > EXPORT_VERSION) return `It is export format version ${version}, newer than this Session Chat reads (${EXPORT_VERSION}): update the extension.`;
    return undefined;
  }
}

/** One thread being assembled from tokens, with a running count of its text against the limit. */
class ThreadAssembly {
  readonly #assembler = new Assembler();
  #chars = 0;
  #depth = 0;
  #tooLarge = false;
  #limit = 0;

  /** Feeds a token; true when the thread's object has closed. */
  add(token: Token, maxChars: number): boolean {
    this.#limit = maxChars;
    if (token.name === 'startObject' || token.name === 'startArray') this.#depth++;
    else if (token.name === 'endObject' || token.name === 'endArray') this.#depth--;
    if (!this.#tooLarge) {
      if ('value' in token && typeof token.value === 'string') this.#chars += token.value.length;
      if (this.#chars > maxChars) this.#tooLarge = true;
      else this.#assembler.consume(token);
    }
    return this.#depth === 0;
  }

  finish(path: string, position: number): ImportEvent {
    const source = `${path}#${position}`;
    if (this.#tooLarge) return skipped(source, `Thread ${position + 1} is larger than ${formatBytes(this.#limit)}, the most one thread may hold.`);
    return exportedThread(this.#assembler.current, path, position);
  }
}
