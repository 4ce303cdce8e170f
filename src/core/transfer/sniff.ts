import { open } from 'node:fs/promises';

/**
 * What a file's first bytes say it is. Files are recognised by content, never by name: a
 * renamed export or a session copied out of its folder imports all the same.
 * - `export`: Session Chat's own export (streamed, any size).
 * - `sqlite`: an SQLite database (the Agents SDK's tables are looked for when it is opened).
 * - `jsonl`: VS Code's chat session log (first line `{"kind":0,"v":…}`).
 * - `json`: some other JSON document, read whole and recognised by its shape.
 * - `other`: none of these (text, images, binaries).
 */
export type SniffedKind = 'export' | 'sqlite' | 'jsonl' | 'json' | 'other';

const HEAD_BYTES = 64 * 1024;
const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** Reads the first 64 KB of `path` and names its kind. */
export async function sniffFile(path: string): Promise<SniffedKind> {
  const handle = await open(path, 'r');
  let head: string;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    // latin1 keeps every byte as one character, so a multi-byte sequence cut at the end cannot throw.
    head = buffer.toString('latin1', 0, bytesRead);
  } finally {
    await handle.close();
  }
  return sniffHead(head);
}

/** The kind of a file from its head (decoded byte for byte). */
export function sniffHead(head: string): SniffedKind {
  if (head.startsWith(SQLITE_MAGIC)) return 'sqlite';
  const text = head.replace(/^\u00ef\u00bb\u00bf/, '').trimStart();
  const first = text.charAt(0);
  if (first !== '{' && first !== '[') return 'other';
  // Anywhere in the head, not only first: a tool that re-sorts keys still leaves it near the top.
  if (first === '{' && /"format"\s*:\s*"session-chat-export"/.test(text)) return 'export';
  if (/^\{\s*"kind"\s*:\s*0\s*,\s*"v"\s*:/.test(text)) return 'jsonl';
  return 'json';
}
