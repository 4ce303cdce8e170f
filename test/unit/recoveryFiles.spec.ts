import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SqliteHistoryStore, StoreOpenError } from '../../src/core/store/sqliteHistoryStore.ts';
import { ThreadStore } from '../../src/core/threads/threadStore.ts';
import { tempDir } from './helpers/tempDir.ts';

const STORE_MODULE = new URL('../../src/core/store/sqliteHistoryStore.ts', import.meta.url).href;
const posix = process.platform !== 'win32';

function withTemp(fn: (dir: string) => void | Promise<void>) {
  return async () => {
    const tmp = tempDir();
    try {
      await fn(tmp.dir);
    } finally {
      tmp.remove();
    }
  };
}

/** The fallback the host opens when the file cannot be used: in memory, flagged, and working. */
async function assertTemporaryFallback(file: string, problem: string): Promise<void> {
  const store = await SqliteHistoryStore.openWithFallback(file);
  try {
    assert.equal(store.temporary, true);
    assert.ok(store.openError instanceof StoreOpenError);
    assert.equal(store.openError.path, file);
    assert.equal(store.openError.problem, problem);
    assert.match(store.description, /memory/i);
    const thread = await store.createThread('file:///w');
    await store.appendItems(thread.id, [{ role: 'user', content: 'kept until the window closes' }]);
    assert.deepEqual(await store.getItems(thread.id), [{ role: 'user', content: 'kept until the window closes' }]);
  } finally {
    await store.close();
  }
}

async function openError(file: string): Promise<StoreOpenError> {
  try {
    const store = await SqliteHistoryStore.open(file);
    await store.close();
  } catch (err) {
    assert.ok(err instanceof StoreOpenError, `a StoreOpenError, got ${String(err)}`);
    assert.ok(err.message.includes(file), 'the message names the file');
    assert.ok(err.message.includes(err.advice));
    assert.match(err.advice, /\.$/, 'advice is a sentence');
    return err;
  }
  assert.fail('opening should have failed');
}

/** A database with committed rows still in its `-wal`, copied out before the checkpoint on close. */
function walWithCommits(dir: string): { wal: Buffer; shm: Buffer } {
  const file = join(dir, 'source.db');
  const store = ThreadStore.open(file);
  const thread = store.createThread('file:///w', 'Only in the WAL');
  store.addItems(thread.id, [{ role: 'user', content: 'committed, not yet checkpointed' }]);
  const wal = readFileSync(`${file}-wal`);
  const shm = readFileSync(`${file}-shm`);
  store.close();
  return { wal, shm };
}

describe('files the store cannot use as they are', () => {
  test('a folder at the database path: a StoreOpenError naming it, and an in-memory fallback', withTemp(async (dir) => {
    const file = join(dir, 'sessions.db');
    mkdirSync(file);
    writeFileSync(join(file, 'keep.txt'), 'mine');
    const err = await openError(file);
    assert.equal(err.problem, 'directory');
    assert.equal(err.path, file);
    assert.match(err.reason, /folder/);
    await assertTemporaryFallback(file, 'directory');
    assert.equal(readFileSync(join(file, 'keep.txt'), 'utf8'), 'mine', 'the folder is left alone');
  }));

  test('a -wal whose database file is gone is moved aside with its -shm, not discarded', withTemp(async (dir) => {
    const { wal, shm } = walWithCommits(dir);
    const file = join(dir, 'sessions.db');
    writeFileSync(`${file}-wal`, wal);
    writeFileSync(`${file}-shm`, shm);
    const store = await SqliteHistoryStore.open(file);
    try {
      const recovered = store.recovered;
      assert.ok(recovered, 'the caller is told');
      assert.equal(recovered.kind, 'orphanWal');
      assert.match(recovered.movedTo, /sessions\.db\.orphan-[^/\\]+$/);
      assert.deepEqual(recovered.files, [`${recovered.movedTo}-wal`, `${recovered.movedTo}-shm`]);
      assert.deepEqual(readFileSync(`${recovered.movedTo}-wal`), wal, 'the WAL is kept byte for byte');
      assert.deepEqual(readFileSync(`${recovered.movedTo}-shm`), shm);
      assert.match(recovered.reason, /-wal/);
      assert.deepEqual(await store.listThreads(), [], 'a fresh database');
    } finally {
      await store.close();
    }
    const again = await SqliteHistoryStore.open(file);
    assert.equal(again.recovered, undefined, 'only once');
    await again.close();
  }));

  test('a -wal beside an empty database file is moved aside too (SQLite would delete it)', withTemp(async (dir) => {
    const { wal } = walWithCommits(dir);
    const file = join(dir, 'sessions.db');
    writeFileSync(file, '');
    writeFileSync(`${file}-wal`, wal);
    const store = ThreadStore.open(file);
    try {
      assert.equal(store.recovered?.kind, 'orphanWal');
      assert.deepEqual(store.recovered.files, [`${store.recovered.movedTo}-wal`]);
      assert.deepEqual(readFileSync(`${store.recovered.movedTo}-wal`), wal);
    } finally {
      store.close();
    }
  }));

  test('a healthy database and its -wal are never taken for an orphan', withTemp(async (dir) => {
    const file = join(dir, 'sessions.db');
    const first = ThreadStore.open(file);
    const thread = first.createThread('w');
    first.addItems(thread.id, [{ role: 'user', content: 'x' }]);
    // Open beside it while its -wal is live.
    const second = ThreadStore.open(file);
    try {
      assert.equal(second.recovered, undefined);
      assert.equal(second.getItems(thread.id).length, 1);
    } finally {
      second.close();
      first.close();
    }
    assert.deepEqual(readdirSync(dir).filter((name) => name.includes('orphan') || name.includes('corrupt')), []);
  }));

  test('a folder that cannot be written: a StoreOpenError about the folder, and the fallback', { skip: !posix && 'POSIX permissions' }, withTemp((dir) => {
    // chmod does not stop root, so the check runs as an unprivileged user when the tests run as root.
    const asRoot = process.getuid?.() === 0;
    chmodSync(dir, 0o755);
    const readOnly = join(dir, 'read-only');
    mkdirSync(readOnly);
    const withDatabase = join(dir, 'read-only-with-db');
    mkdirSync(withDatabase);
    ThreadStore.open(join(withDatabase, 'sessions.db')).close();
    chmodSync(join(withDatabase, 'sessions.db'), 0o644);
    chmodSync(readOnly, 0o555);
    chmodSync(withDatabase, 0o555);
    const script = `
      const { SqliteHistoryStore, StoreOpenError } = await import(${JSON.stringify(STORE_MODULE)});
      const results = [];
      for (const file of process.argv.slice(1)) {
        let error;
        try { await (await SqliteHistoryStore.open(file)).close(); } catch (err) {
          error = err instanceof StoreOpenError ? { problem: err.problem, path: err.path, reason: err.reason, advice: err.advice, message: err.message } : { other: String(err) };
        }
        const fallback = await SqliteHistoryStore.openWithFallback(file);
        const thread = await fallback.createThread('w');
        await fallback.appendItems(thread.id, [{ role: 'user', content: 'x' }]);
        results.push({ error, temporary: fallback.temporary, items: (await fallback.getItems(thread.id)).length });
        await fallback.close();
      }
      console.log(JSON.stringify(results));`;
    const files = [join(readOnly, 'sessions.db'), join(withDatabase, 'sessions.db')];
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script, ...files], {
      encoding: 'utf8',
      ...(asRoot ? { uid: 65534, gid: 65534 } : {}),
    });
    assert.equal(child.status, 0, child.stderr);
    const results = JSON.parse(child.stdout) as { error?: { problem: string; path: string; reason: string; advice: string; message: string }; temporary: boolean; items: number }[];
    for (const [i, result] of results.entries()) {
      assert.ok(result.error, `opening ${files[i]} fails`);
      assert.equal(result.error.problem, 'notWritable', JSON.stringify(result.error));
      assert.equal(result.error.path, files[i]);
      assert.ok(result.error.reason.includes(i === 0 ? readOnly : withDatabase) || result.error.advice.includes(i === 0 ? readOnly : withDatabase), 'names the folder');
      assert.deepEqual([result.temporary, result.items], [true, 1]);
    }
    assert.deepEqual(readdirSync(readOnly), []);
  }));

  test('a path where nothing can be created, even by root (/proc)', { skip: process.platform !== 'linux' && 'Linux /proc' }, async () => {
    const file = '/proc/self/sessions.db';
    const err = await openError(file);
    assert.ok(['notWritable', 'missingFolder'].includes(err.problem), err.problem);
    await assertTemporaryFallback(file, err.problem);
  });

  test('a link to a folder that does not exist: a StoreOpenError naming the link and its target', { skip: !posix && 'symlinks need privileges on Windows' }, withTemp(async (dir) => {
    const file = join(dir, 'sessions.db');
    const target = join(dir, 'moved-away', 'sessions.db');
    symlinkSync(target, file);
    const err = await openError(file);
    assert.equal(err.problem, 'danglingLink');
    assert.equal(err.path, file);
    assert.ok(err.reason.includes(target), err.reason);
    await assertTemporaryFallback(file, 'danglingLink');
  }));

  test('a link to a missing file in a folder that exists: the database is created there, as SQLite does', { skip: !posix && 'symlinks need privileges on Windows' }, withTemp(async (dir) => {
    const file = join(dir, 'sessions.db');
    const target = join(dir, 'synced', 'chat.db');
    mkdirSync(join(dir, 'synced'));
    symlinkSync(target, file);
    const store = await SqliteHistoryStore.open(file);
    try {
      assert.equal(store.temporary, false);
      await store.createThread('w');
    } finally {
      await store.close();
    }
    assert.ok(statSync(target).size > 0);
  }));

  test('a database that is fine opens with temporary false and no error', withTemp(async (dir) => {
    const store = await SqliteHistoryStore.openWithFallback(join(dir, 'sessions.db'));
    try {
      assert.equal(store.temporary, false);
      assert.equal(store.openError, undefined);
    } finally {
      await store.close();
    }
  }));
});

