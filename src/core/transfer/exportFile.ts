import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { EXPORT_FORMAT, EXPORT_VERSION, isoTime, readableItem, type ExportScope } from './exportFormat.ts';
import type { ThreadRecord, VersionGroupRecord } from './threadRecord.ts';

/** What the export is of, written into the document's header. */
export interface ExportMeta {
  scope: ExportScope;
  /** The workspace a 'workspace' export is of (our workspace key). */
  workspaceKey?: string;
  /** Epoch ms. */
  exportedAt: number;
}

/** What {@link writeExportFile} wrote. */
export interface ExportResult {
  threads: number;
  items: number;
  /** The signal fired: the file holds the threads finished before it, and is complete JSON. */
  cancelled: boolean;
}

/** Text waits here until this much has gathered, then goes to disk in one write. */
const FLUSH_AT = 1 << 20;

/** Collects text and writes it in large blocks: one `write` per item would cost more than the JSON. */
class BlockWriter {
  #parts: string[] = [];
  #size = 0;
  readonly #handle: FileHandle;

  constructor(handle: FileHandle) {
    this.#handle = handle;
  }

  add(text: string): void {
    this.#parts.push(text);
    this.#size += text.length;
  }

  async flushIfFull(): Promise<void> {
    if (this.#size >= FLUSH_AT) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.#parts.length === 0) return;
    const text = this.#parts.join('');
    this.#parts = [];
    this.#size = 0;
    await this.#handle.write(text, null, 'utf8');
  }
}

/**
 * Writes threads to `path` in Session Chat's export format (docs/formats/README.md), streaming:
 * each thread goes out as it arrives, so memory holds one thread, never the document. The text
 * goes to `<path>.partial`, which is renamed over `path` only once complete; a failure removes it,
 * so `path` never holds a truncated file. When `signal` fires, the threads already written are
 * closed into a complete, valid document at `path` and the result says `cancelled` (the user keeps
 * what finished, as an import keeps what finished).
 */
export async function writeExportFile(path: string, threads: AsyncIterable<ThreadRecord>, meta: ExportMeta, signal?: AbortSignal): Promise<ExportResult> {
  const partial = `${path}.partial`;
  const handle = await open(partial, 'w');
  const out = new BlockWriter(handle);
  const result: ExportResult = { threads: 0, items: 0, cancelled: false };
  try {
    out.add(headerText(meta));
    for await (const record of threads) {
      if (signal?.aborted) {
        // Leaving the loop calls the iterator's return(), so the store can close its cursor.
        result.cancelled = true;
        break;
      }
      out.add(result.threads === 0 ? '\n' : ',\n');
      writeThread(out, record);
      result.threads++;
      result.items += record.items.length;
      await out.flushIfFull();
    }
    out.add('\n]}\n');
    await out.flush();
    await handle.sync();
    await handle.close();
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw err;
  }
  try {
    await rename(partial, path);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
  return result;
}

function headerText(meta: ExportMeta): string {
  const header: Record<string, unknown> = { format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: isoTime(meta.exportedAt), scope: meta.scope };
  if (meta.workspaceKey !== undefined) header.workspace = meta.workspaceKey;
  // The header's closing brace is left off: the threads array goes inside the same object.
  return `${JSON.stringify(header).slice(0, -1)},"threads":[`;
}

function writeThread(out: BlockWriter, record: ThreadRecord): void {
  const head = {
    id: record.id,
    title: record.title,
    workspace: record.workspaceKey,
    createdAt: isoTime(record.createdAt),
    updatedAt: isoTime(record.updatedAt),
    pinned: record.pinned,
  };
  out.add(`${JSON.stringify(head).slice(0, -1)},"items":`);
  const raw = writeItems(out, record.items);
  if (raw) out.add(`,"raw":${JSON.stringify(raw)}`);
  if (record.versions && record.versions.length > 0) {
    out.add(',"versions":[');
    record.versions.forEach((group, index) => {
      if (index > 0) out.add(',');
      writeGroup(out, group);
    });
    out.add(']');
  }
  out.add('}');
}

/**
 * Writes items as a JSON array, one item a line, and returns the texts that must be kept as they
 * are (by position), if any. An item whose stored text is its own compact JSON is written as that
 * text, unparsed and unchanged.
 */
function writeItems(out: BlockWriter, items: readonly string[]): Record<string, string> | undefined {
  let raw: Record<string, string> | undefined;
  out.add('[');
  for (let i = 0; i < items.length; i++) {
    const text = items[i]!;
    const readable = readableItem(text);
    out.add(i === 0 ? '\n' : ',\n');
    if (readable.raw === undefined) {
      out.add(text);
    } else {
      out.add(JSON.stringify(readable.value));
      (raw ??= {})[String(i)] = readable.raw;
    }
  }
  out.add(items.length === 0 ? ']' : '\n]');
  return raw;
}

function writeGroup(out: BlockWriter, group: VersionGroupRecord): void {
  out.add(`{"after":${group.after},"shown":${group.shown},"versions":[`);
  group.versions.forEach((version, index) => {
    if (index > 0) out.add(',');
    out.add(`{"index":${version.index},"createdAt":${JSON.stringify(isoTime(version.createdAt))},"nested":${JSON.stringify(version.nested)},"items":`);
    if (version.items === null) {
      out.add('null');
    } else {
      const raw = writeItems(out, version.items);
      if (raw) out.add(`,"raw":${JSON.stringify(raw)}`);
    }
    out.add('}');
  });
  out.add(']}');
}
