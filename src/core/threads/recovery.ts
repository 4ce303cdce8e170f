import { closeSync, existsSync, openSync, readSync, renameSync } from 'node:fs';

/** Where an unreadable database went, and why, for a message the user can act on. */
export interface Recovered {
  movedTo: string;
  reason: string;
}

// SQLITE_CORRUPT (11) and SQLITE_NOTADB (26); better-sqlite3 names them in `code`, node:sqlite
// gives the number in `errcode`.
const CORRUPT_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);
const CORRUPT_ERRCODES = new Set([11, 26]);

/** True when the error says the file is not a database or is damaged (not busy, not I/O). */
export function isCorruptionError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, errcode } = err as { code?: unknown; errcode?: unknown };
  if (typeof code === 'string' && CORRUPT_CODES.has(code)) return true;
  // Extended result codes keep the primary code in the low byte.
  return typeof errcode === 'number' && CORRUPT_ERRCODES.has(errcode & 0xff);
}

const HEADER = Buffer.from('SQLite format 3\0', 'latin1');

/**
 * Why the file at `dbPath` is not an SQLite database, judged from its 16-byte header; undefined
 * when it is one, is empty or does not exist. Checked before SQLite opens it because closing a
 * connection that failed with SQLITE_NOTADB deletes the file's `-wal`, which we want to keep.
 */
export function notADatabase(dbPath: string): string | undefined {
  if (dbPath === ':memory:' || dbPath === '' || !existsSync(dbPath)) return undefined;
  const fd = openSync(dbPath, 'r');
  try {
    const header = Buffer.alloc(HEADER.length);
    const read = readSync(fd, header, 0, header.length, 0);
    if (read === 0 || header.equals(HEADER)) return undefined;
    return 'file is not a database (it has no SQLite header)';
  } finally {
    closeSync(fd);
  }
}

/**
 * {@link notADatabase}, confirmed a moment later: another window may be creating the file right
 * now, and moving a healthy database aside is the one mistake recovery must not make.
 */
export function notADatabaseTwice(dbPath: string): string | undefined {
  if (notADatabase(dbPath) === undefined) return undefined;
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  return notADatabase(dbPath);
}

/**
 * Moves `dbPath` and its `-wal`/`-shm` aside as `<dbPath>.corrupt-<time>` (never deletes them: the
 * user may want them back) so a fresh database can be created in its place.
 */
export function moveAside(dbPath: string, err: unknown, now: Date = new Date()): Recovered {
  // ':' is not allowed in Windows file names.
  const movedTo = `${dbPath}.corrupt-${now.toISOString().replace(/[:.]/g, '-')}`;
  renameSync(dbPath, movedTo);
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(dbPath + suffix)) renameSync(dbPath + suffix, movedTo + suffix);
  }
  const reason = err instanceof Error ? err.message : String(err);
  return { movedTo, reason };
}
