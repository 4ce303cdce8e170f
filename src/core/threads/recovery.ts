import { existsSync, lstatSync, readlinkSync, renameSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { isBusyError, openDatabase } from '../session/sqliteDriver.ts';
import type { Database, OpenOptions } from '../session/sqliteDriver.ts';

/**
 * What was moved aside, where to, and why, for a message the user can act on. Nothing is ever
 * deleted: every file named in `files` still holds what it held.
 */
export interface Recovered {
  /**
   * `corrupt`: the database was not a database or was damaged; it was moved aside (with its
   * `-wal`/`-shm`) and what could still be read was copied into a fresh one.
   * `orphanWal`: the database file was missing (or empty) but its `-wal` was there; SQLite would
   * have discarded that log, so it was moved aside instead and a fresh database started.
   */
  kind: 'corrupt' | 'orphanWal';
  /** The moved database's new path; its `-wal`/`-shm` are this path plus the suffix. */
  movedTo: string;
  /** Every file that was moved, at its new path. */
  files: string[];
  /** Why, in SQLite's or our words. */
  reason: string;
  /** What was copied from the moved file into the fresh one (zeros when nothing could be read). */
  salvaged: { threads: number; items: number };
}

// SQLITE_CORRUPT (11) and SQLITE_NOTADB (26); better-sqlite3 names them in `code`, node:sqlite
// gives the number in `errcode`.
const CORRUPT_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB']);
const CORRUPT_ERRCODES = new Set([11, 26]);

/** True when the error says the file is not a database or is damaged (not busy, not I/O). */
export function isCorruptionError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, errcode } = err as { code?: unknown; errcode?: unknown };
  if (typeof code === 'string' && (CORRUPT_CODES.has(code) || code.startsWith('SQLITE_CORRUPT_'))) return true;
  // Extended result codes keep the primary code in the low byte.
  return typeof errcode === 'number' && CORRUPT_ERRCODES.has(errcode & 0xff);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** True for a real file path (not an in-memory or temporary database). */
export function isFilePath(dbPath: string): boolean {
  return dbPath !== '' && dbPath !== ':memory:' && !dbPath.startsWith('file::memory:');
}

/** True for SQLITE_NOTADB: the file does not even start like a database. */
export function isNotADatabaseError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, errcode } = err as { code?: unknown; errcode?: unknown };
  return code === 'SQLITE_NOTADB' || (typeof errcode === 'number' && (errcode & 0xff) === 26);
}

/**
 * The error SQLite gives when reading the file at `dbPath` as a database (SQLITE_NOTADB, or
 * SQLITE_CORRUPT in its header or schema), judged through a read-only connection; undefined when
 * it reads, does not exist, or fails for another reason (the real open then reports that).
 *
 * Never open or close the database file outside SQLite while a connection to it may be open in
 * this process: POSIX drops every lock a process holds on a file when it closes any descriptor
 * of it, so the process's other connections would silently lose theirs, another process would
 * believe it is alone, checkpoint and delete the WAL, and commits would be lost. SQLite's own
 * close keeps the descriptor open while other connections of the same library hold locks (two
 * bindings in one process are two libraries: do not mix them on one file).
 * Read-only matters too: a read-write connection that closes last checkpoints and deletes the
 * `-wal` (that of a file that is not a database included), which the user may want back.
 * Busy errors are thrown: the caller retries.
 */
export function unreadableError(dbPath: string, options: OpenOptions = {}): unknown {
  if (!isFilePath(dbPath) || !existsSync(dbPath)) return undefined;
  let db;
  try {
    db = openDatabase(dbPath, { ...options, readOnly: true, exclusive: false }).db;
  } catch (err) {
    if (isBusyError(err)) throw err;
    return isCorruptionError(err) ? err : undefined;
  }
  try {
    db.prepare('PRAGMA schema_version').get();
    // Preparing a query on the schema table parses every CREATE statement in it.
    db.prepare('SELECT name, sql FROM sqlite_schema').all();
    return undefined;
  } catch (err) {
    if (isBusyError(err)) throw err;
    return isCorruptionError(err) ? err : undefined;
  } finally {
    db.close();
  }
}

/** A time for file names: ':' is not allowed in Windows file names. */
function stamp(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

function statOrUndefined(path: string, link = false): Stats | undefined {
  try {
    return link ? lstatSync(path) : statSync(path);
  } catch {
    return undefined;
  }
}

/** Renames `from` to `to`; false when `from` is gone (another window moved it first). */
function renameIfThere(from: string, to: string): boolean {
  try {
    renameSync(from, to);
    return true;
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return false;
    throw err;
  }
}

/**
 * Moves `dbPath` and its `-wal`/`-shm` aside as `<dbPath>.corrupt-<time>` (never deletes them: the
 * user may want them back) so a fresh database can be created in its place; undefined when the
 * file is already gone (another window moved it first).
 */
export function moveAside(dbPath: string, err: unknown, now: Date = new Date()): Recovered | undefined {
  const movedTo = `${dbPath}.corrupt-${stamp(now)}`;
  if (!renameIfThere(dbPath, movedTo)) return undefined;
  const files = [movedTo];
  for (const suffix of ['-wal', '-shm']) {
    if (renameIfThere(dbPath + suffix, movedTo + suffix)) files.push(movedTo + suffix);
  }
  return { kind: 'corrupt', movedTo, files, reason: messageOf(err), salvaged: { threads: 0, items: 0 } };
}

/**
 * {@link moveAside}, but only while no connection (of this process or another) has the file open:
 * renaming a database in use is one of SQLite's documented ways to lose data (a connection still
 * on the old file deletes `<dbPath>-wal` by name when it closes last, and by then that name is the
 * fresh file's log). The file's exclusive lock is taken first and held across the rename, so
 * nobody can open the old file in between (on Windows, where an open file cannot be renamed, it is
 * released just before). Throws a {@link StoreOpenError} (`damagedInUse`) when others have it open.
 * A file that is not a database at all (SQLITE_NOTADB) is moved without the lock: nothing can be
 * using it for real, and a read-write connection failing on it would delete its `-wal` on close.
 */
export function moveAsideAlone(dbPath: string, err: unknown, options: OpenOptions = {}, now: Date = new Date()): Recovered | undefined {
  if (isNotADatabaseError(err)) return moveAside(dbPath, err, now);
  // The lock's connection would create a file that is not there.
  if (!existsSync(dbPath)) return undefined;
  let guard: Database | undefined;
  try {
    guard = openDatabase(dbPath, { ...options, readOnly: false, exclusive: true, busyTimeoutMs: 100 }).db;
  } catch (lockError) {
    if (isBusyError(lockError)) {
      throw new StoreOpenError(
        dbPath,
        'damagedInUse',
        `is damaged (${messageOf(err)}) and open in another window or program, so it cannot be repaired now`,
        `Close the other VS Code windows and programs that use it, ${RELOAD} to repair it (the damaged file will be kept).`,
        err,
      );
    }
    // Too damaged to lock (SQLite refused its header): nothing can be using it for real.
  }
  if (!guard) return moveAside(dbPath, err, now);
  if (process.platform === 'win32') {
    guard.close();
    return moveAside(dbPath, err, now);
  }
  try {
    return moveAside(dbPath, err, now);
  } finally {
    // Its close may checkpoint into the moved file (the same inode); the `-wal` name it then
    // deletes no longer exists.
    guard.close();
  }
}

/**
 * When `dbPath` is missing (or empty) but its `-wal` holds data, moves the `-wal` and `-shm` aside
 * as `<dbPath>.orphan-<time>-wal`/`-shm`: opening the database would otherwise start a new file
 * and SQLite would delete that log with whatever commits it holds. Checked before any connection
 * opens. A live database never looks like this: SQLite writes the file's header before it creates
 * its `-wal`, and never empties the file again (the `-wal` is looked at first, then the file).
 */
export function moveOrphanWal(dbPath: string, now: Date = new Date()): Recovered | undefined {
  if (!isFilePath(dbPath)) return undefined;
  const wal = statOrUndefined(`${dbPath}-wal`);
  if (!wal?.isFile() || wal.size === 0) return undefined;
  const main = statOrUndefined(dbPath, true);
  if (main && !(main.isFile() && main.size === 0)) return undefined;
  const movedTo = `${dbPath}.orphan-${stamp(now)}`;
  // Another window opening at the same moment may have moved it first; it tells its user.
  if (!renameIfThere(`${dbPath}-wal`, `${movedTo}-wal`)) return undefined;
  const files = [`${movedTo}-wal`];
  if (renameIfThere(`${dbPath}-shm`, `${movedTo}-shm`)) files.push(`${movedTo}-shm`);
  const name = basename(dbPath);
  const reason = main
    ? `${name} was empty but its write-ahead log ${name}-wal held data`
    : `${name} was missing but its write-ahead log ${name}-wal was still there`;
  return { kind: 'orphanWal', movedTo, files, reason, salvaged: { threads: 0, items: 0 } };
}

/** What is wrong with the database path, for {@link StoreOpenError}. */
export type StoreOpenProblem =
  | 'directory'
  | 'notAFile'
  | 'danglingLink'
  | 'missingFolder'
  | 'notWritable'
  | 'diskFull'
  | 'locked'
  | 'io'
  | 'damagedInUse'
  | 'other';

/**
 * The database file cannot be used: which file, what is wrong in a few words, and one sentence on
 * what to do. `message` reads "<path> <reason>. <advice>". Thrown by opening the store, and by a
 * call that found the file damaged while other windows have it open (`damagedInUse`).
 */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';
  /** The database path the store was asked to open. */
  readonly path: string;
  readonly problem: StoreOpenProblem;
  /** A clause that follows the path: "is a folder, not a database file". */
  readonly reason: string;
  /** One sentence: what the user can do about it. */
  readonly advice: string;

  constructor(path: string, problem: StoreOpenProblem, reason: string, advice: string, cause?: unknown) {
    super(`${path} ${reason}. ${advice}`, cause === undefined ? undefined : { cause });
    this.path = path;
    this.problem = problem;
    this.reason = reason;
    this.advice = advice;
  }
}

/** SQLite's primary result code name (`CANTOPEN`, `READONLY`, ...) or the errno code (`EACCES`), when there is one. */
function errorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { code, errcode } = err as { code?: unknown; errcode?: unknown };
  if (typeof errcode === 'number') return PRIMARY_CODES[errcode & 0xff] ?? 'SQLITE';
  if (typeof code !== 'string') return undefined;
  const sqlite = /^SQLITE_([A-Z]+)/.exec(code);
  if (sqlite) return sqlite[1];
  return /^E[A-Z]+$/.test(code) ? code : undefined;
}

const PRIMARY_CODES: Record<number, string> = {
  3: 'PERM', 5: 'BUSY', 6: 'LOCKED', 8: 'READONLY', 10: 'IOERR', 11: 'CORRUPT', 13: 'FULL', 14: 'CANTOPEN', 23: 'AUTH', 26: 'NOTADB',
};

const RELOAD = 'then reload the window';

/**
 * Explains why opening `dbPath` failed with `err`, looking at the path with stat calls only (no
 * file is opened); undefined when the error is not about the file (e.g. no SQLite driver).
 */
export function explainOpenFailure(dbPath: string, err: unknown): StoreOpenError | undefined {
  if (err instanceof StoreOpenError) return err;
  const fail = (problem: StoreOpenProblem, reason: string, advice: string) => new StoreOpenError(dbPath, problem, reason, advice, err);
  const folder = dirname(resolve(dbPath));
  // What the path is says the most, whatever the error (better-sqlite3 reports a missing folder
  // with a plain TypeError).
  const link = statOrUndefined(dbPath, true);
  const target = statOrUndefined(dbPath);
  if (link?.isSymbolicLink() && !target) {
    let to: string;
    try {
      to = resolve(dirname(dbPath), readlinkSync(dbPath));
    } catch {
      to = 'a file';
    }
    return fail('danglingLink', `is a link to ${to}, which does not exist and cannot be created there`, `Restore what the link points to, or delete the link so a new database can be created, ${RELOAD}.`);
  }
  if (target?.isDirectory()) {
    return fail('directory', 'is a folder, not a database file', `Move or rename that folder (keep it if it holds something you need), ${RELOAD}.`);
  }
  if (target && !target.isFile()) return fail('notAFile', 'is not a regular file', `Move it out of the way, ${RELOAD}.`);
  const folderStat = statOrUndefined(folder);
  if (!folderStat) return fail('missingFolder', `cannot be created: the folder ${folder} does not exist`, `Create the folder ${folder}, ${RELOAD}.`);
  if (!folderStat.isDirectory()) return fail('missingFolder', `cannot be created: ${folder} is not a folder`, `Move the file ${folder} out of the way, ${RELOAD}.`);

  const code = errorCode(err);
  if (code === undefined) return undefined;
  if (code === 'BUSY' || code === 'LOCKED') {
    return fail('locked', 'is locked by another program', `Close other programs using it (or VS Code windows that seem stuck), ${RELOAD}.`);
  }
  if (code === 'FULL' || code === 'ENOSPC') return fail('diskFull', 'cannot be written: the disk is full', `Free some space on the disk that holds ${folder}, ${RELOAD}.`);
  if (['CANTOPEN', 'READONLY', 'PERM', 'AUTH', 'EACCES', 'EPERM', 'EROFS'].includes(code)) {
    return fail('notWritable', `cannot be opened for writing: the folder ${folder} or the file is read-only or not yours`, `Give your user account write access to ${folder} and the files in it, ${RELOAD}.`);
  }
  if (code === 'IOERR' || code === 'EIO') return fail('io', 'could not be read or written (input/output error)', `Check the disk that holds ${folder}, ${RELOAD}.`);
  return fail('other', `could not be opened (${messageOf(err)})`, `Check that file and its folder, ${RELOAD}.`);
}
