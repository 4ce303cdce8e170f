import { createRequire } from 'node:module';

/** Which SQLite binding runs: the npm package, or the one built into Node 22.13+. */
export type DriverName = 'better-sqlite3' | 'node:sqlite';

/** A value a `?` placeholder can take. */
export type SqlValue = string | number | bigint | null | Uint8Array;

/** A result row: column name to value. */
export type Row = Record<string, unknown>;

/** A prepared statement, the part both drivers share. */
export interface Statement {
  run(...params: SqlValue[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: SqlValue[]): Row | undefined;
  all(...params: SqlValue[]): Row[];
}

/**
 * A prepared statement read for its first column only: one plain value a row, no row object
 * built around it (reading JSON text this way is most of what a history read costs).
 */
export interface ColumnStatement {
  /** The first column of every row, in the query's order. */
  all(...params: SqlValue[]): unknown[];
}

/**
 * The thin adapter over the two drivers; everything else in the store is written against it.
 * `transaction` is `BEGIN IMMEDIATE` (nested calls become savepoints): taking the write lock up
 * front means a second process waits on `busy_timeout` instead of failing a lock upgrade.
 */
export interface Database {
  readonly driver: DriverName;
  prepare(sql: string): Statement;
  /** Prepares a query whose rows are read as the value of their first column. */
  prepareColumn(sql: string): ColumnStatement;
  exec(sql: string): void;
  transaction<T>(fn: () => T): T;
  close(): void;
}

/** How long a writer waits for another connection's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 10_000;

/** Options for {@link openDatabase}. */
export interface OpenOptions {
  /** Force a driver; else `SESSION_CHAT_SQLITE_DRIVER`, else better-sqlite3 with fallback. */
  driver?: DriverName;
  /**
   * `PRAGMA busy_timeout`: how long a statement waits for another connection's lock before
   * SQLITE_BUSY. Default {@link BUSY_TIMEOUT_MS}; 0 fails at once, for a caller that would rather
   * retry asynchronously than block its thread. (Switching a new file to WAL at open retries on
   * its own either way.)
   */
  busyTimeoutMs?: number;
  /**
   * Open an existing file for reading only: no journal-mode switch, and closing this connection
   * never checkpoints or deletes the file's `-wal` (a read-write connection that closes last does
   * both). For looking at a file that may not be a database, or salvaging one that is damaged.
   */
  readOnly?: boolean;
  /**
   * Take the file's exclusive lock at once and keep it until close (`locking_mode = EXCLUSIVE`):
   * fails with SQLITE_BUSY while any other connection, of this process or another, has the file
   * open (in WAL mode each holds a shared lock on it as long as it is open). Recovery uses it to
   * be sure nobody has a file open before moving it aside: renaming a database in use lets the
   * connections still on it delete the new file's `-wal` by name when they close.
   */
  exclusive?: boolean;
  /** Test seam: replaces `require('better-sqlite3')`. */
  loadBetterSqlite3?: () => unknown;
}

/** An open connection, and why the preferred driver was not used (for the user). */
export interface OpenedDatabase {
  db: Database;
  /** Set when better-sqlite3 could not load and node:sqlite runs instead. */
  fallbackReason?: string;
}

interface NativeStatement {
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
  /** better-sqlite3: rows become their first column's value. */
  pluck?(toggle?: boolean): NativeStatement;
  /** node:sqlite from Node 22.16 / 24: rows become arrays instead of objects. */
  setReturnArrays?(enabled: boolean): void;
}
interface NativeDatabase {
  prepare(sql: string): NativeStatement;
  exec(sql: string): unknown;
  close(): unknown;
}
type NativeConstructor = new (path: string, options?: object) => NativeDatabase;

const requireHere = createRequire(import.meta.url);

function requireBetterSqlite3(): unknown {
  // better-sqlite3 13 needs Node-API 10; on older runtimes loading it segfaults, which no
  // try/catch can stop, so check before requiring.
  const napi = Number(process.versions.napi ?? 0);
  if (!(napi >= 10)) throw new Error(`Node-API ${process.versions.napi ?? 'unknown'} is older than the 10 better-sqlite3 needs`);
  return requireHere('better-sqlite3');
}

function loadNodeSqlite(): NativeConstructor {
  const mod = process.getBuiltinModule?.('node:sqlite') as { DatabaseSync?: NativeConstructor } | undefined;
  if (!mod?.DatabaseSync) throw new Error(`node:sqlite is not available in Node ${process.version}`);
  return mod.DatabaseSync;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function chooseDriver(options: OpenOptions): { name: DriverName; ctor: NativeConstructor; fallbackReason?: string } {
  const forced = options.driver ?? envDriver();
  if (forced === 'node:sqlite') return { name: 'node:sqlite', ctor: loadNodeSqlite() };
  const load = options.loadBetterSqlite3 ?? requireBetterSqlite3;
  try {
    const ctor = load() as NativeConstructor;
    // The package loads without its native binary (a VSIX or platform it was not built for):
    // the binding is only required by the constructor, so open a throwaway database to prove it.
    new ctor(':memory:').close();
    return { name: 'better-sqlite3', ctor };
  } catch (err) {
    if (forced === 'better-sqlite3') throw err;
    const fallbackReason = `better-sqlite3 could not load: ${message(err)}`;
    try {
      return { name: 'node:sqlite', ctor: loadNodeSqlite(), fallbackReason };
    } catch (fallbackErr) {
      throw new Error(`No SQLite driver: ${fallbackReason}; ${message(fallbackErr)}`, { cause: fallbackErr });
    }
  }
}

function envDriver(): DriverName | undefined {
  const value = process.env.SESSION_CHAT_SQLITE_DRIVER;
  return value === 'node:sqlite' || value === 'better-sqlite3' ? value : undefined;
}

/**
 * Opens a connection with the store's pragmas: WAL (readers never block the writer),
 * `synchronous=NORMAL` (WAL stays consistent after a crash or kill; only a power cut can lose
 * the last commits), `busy_timeout` and `foreign_keys=ON` (off by default in SQLite).
 */
export function openDatabase(path: string, options: OpenOptions = {}): OpenedDatabase {
  const busyTimeoutMs = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  // A pragma takes no `?` parameter, so the number is checked before it goes into the text.
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) throw new RangeError(`busyTimeoutMs must be a whole number of milliseconds >= 0, got ${busyTimeoutMs}`);
  const chosen = chooseDriver(options);
  const readOnly = options.readOnly === true;
  // The two bindings spell the flag differently; better-sqlite3 would create a missing file.
  const flags = !readOnly ? undefined : chosen.name === 'node:sqlite' ? { readOnly: true } : { readonly: true, fileMustExist: true };
  const native = flags ? new chosen.ctor(path, flags) : new chosen.ctor(path);
  const db = new AdaptedDatabase(chosen.name, native);
  try {
    db.exec(`PRAGMA busy_timeout = ${busyTimeoutMs}`);
    db.exec('PRAGMA foreign_keys = ON');
    if (options.exclusive === true) {
      // Before the first read, so the lock asked for is the file's, not the WAL index's.
      db.exec('PRAGMA locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
      db.exec('COMMIT');
    } else if (!readOnly) {
      // Switching a new file to WAL needs an exclusive lock and SQLite does not run the busy
      // handler for it: two windows creating the file at once would fail without this retry.
      retryWhileBusy(() => db.prepare('PRAGMA journal_mode = WAL').get());
      db.exec('PRAGMA synchronous = NORMAL');
    }
  } catch (err) {
    db.close();
    throw err;
  }
  return chosen.fallbackReason === undefined ? { db } : { db, fallbackReason: chosen.fallbackReason };
}

const dataVersionStatements = new WeakMap<Database, Statement>();

/**
 * `PRAGMA data_version` of this connection: it changes when another connection commits to the
 * file (never for this connection's own commits), so comparing two readings tells whether
 * someone else wrote in between.
 */
export function dataVersion(db: Database): number {
  let statement = dataVersionStatements.get(db);
  if (!statement) {
    statement = db.prepare('PRAGMA data_version');
    dataVersionStatements.set(db, statement);
  }
  return Number(statement.get()!.data_version);
}

/** True for SQLITE_BUSY / SQLITE_LOCKED from either driver. */
export function isBusyError(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, errcode } = err as { code?: unknown; errcode?: unknown };
  if (typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code)) return true;
  return typeof errcode === 'number' && ((errcode & 0xff) === 5 || (errcode & 0xff) === 6);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `fn`, retrying on SQLITE_BUSY for up to {@link BUSY_TIMEOUT_MS}, as busy_timeout would. */
export function retryWhileBusy<T>(fn: () => T): T {
  const deadline = Date.now() + BUSY_TIMEOUT_MS;
  for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
    try {
      return fn();
    } catch (err) {
      if (!isBusyError(err) || Date.now() + delay > deadline) throw err;
      sleepSync(delay);
    }
  }
}

function firstOfEach(rows: unknown[][]): unknown[] {
  const values = new Array<unknown>(rows.length);
  for (let i = 0; i < rows.length; i++) values[i] = rows[i]![0];
  return values;
}

function firstValue(row: Row): unknown {
  for (const key in row) return row[key];
  return undefined;
}

class AdaptedDatabase implements Database {
  readonly driver: DriverName;
  readonly #native: NativeDatabase;
  #depth = 0;
  #begin: NativeStatement | undefined;
  #commit: NativeStatement | undefined;

  constructor(driver: DriverName, native: NativeDatabase) {
    this.driver = driver;
    this.#native = native;
  }

  prepare(sql: string): Statement {
    return this.#native.prepare(sql) as Statement;
  }

  prepareColumn(sql: string): ColumnStatement {
    const statement = this.#native.prepare(sql);
    if (statement.pluck) return statement.pluck() as ColumnStatement;
    if (statement.setReturnArrays) {
      statement.setReturnArrays(true);
      return { all: (...params) => firstOfEach(statement.all(...params) as unknown[][]) };
    }
    // node:sqlite before Node 22.16 has neither: take the value of each row object's only key.
    return { all: (...params) => (statement.all(...params) as Row[]).map(firstValue) };
  }

  exec(sql: string): void {
    this.#native.exec(sql);
  }

  transaction<T>(fn: () => T): T {
    const depth = this.#depth;
    const outer = depth === 0;
    // The outer statements are prepared once: parsing them on every write costs more than the write.
    if (outer) (this.#begin ??= this.#native.prepare('BEGIN IMMEDIATE')).run();
    else this.#native.exec(`SAVEPOINT s${depth}`);
    this.#depth = depth + 1;
    try {
      const result = fn();
      if (outer) (this.#commit ??= this.#native.prepare('COMMIT')).run();
      else this.#native.exec(`RELEASE s${depth}`);
      return result;
    } catch (err) {
      // Also when COMMIT or RELEASE itself failed (SQLITE_FULL, a deferred foreign key): the
      // transaction may still be open, and the next write must start from a clean connection.
      this.#rollback(depth);
      throw err;
    } finally {
      // Restored, not decremented: whichever step threw, the depth is the one before the call.
      this.#depth = depth;
    }
  }

  #rollback(depth: number): void {
    try {
      this.#native.exec(depth === 0 ? 'ROLLBACK' : `ROLLBACK TO s${depth}; RELEASE s${depth}`);
    } catch {
      // SQLite already rolled back on its own (e.g. after SQLITE_FULL); the first error is the one to report.
    }
  }

  close(): void {
    this.#native.close();
  }
}
