import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Item } from '../../src/core/session/session.ts';
import { openDatabase } from '../../src/core/session/sqliteDriver.ts';
import type { DriverName } from '../../src/core/session/sqliteDriver.ts';
import { SqliteHistoryStore } from '../../src/core/store/sqliteHistoryStore.ts';
import { SCHEMA_VERSION } from '../../src/core/threads/threadSchema.ts';
import { ThreadStore } from '../../src/core/threads/threadStore.ts';
import { assistant, user } from './helpers/historyStoreContract.ts';
import { tempDir } from './helpers/tempDir.ts';

const THREAD_STORE = new URL('../../src/core/threads/threadStore.ts', import.meta.url).href;

/** The thread's rows exactly as the Python SDK reads them: `SELECT message_data … ORDER BY id`. */
function sdkRead(file: string, threadId: string, driver: DriverName): string[] {
  const { db } = openDatabase(file, { driver });
  try {
    return db.prepare('SELECT message_data FROM agent_messages WHERE session_id = ? ORDER BY id').all(threadId).map((row) => row.message_data as string);
  } finally {
    db.close();
  }
}

/**
 * A second connection on the store's own driver: two SQLite libraries in one process do not see
 * each other's POSIX locks, so closing the other library's connection would drop the store's.
 */
function sql(file: string, driver: DriverName, query: string, ...params: (string | number)[]): Record<string, unknown>[] {
  const { db } = openDatabase(file, { driver });
  try {
    return db.prepare(query).all(...params);
  } finally {
    db.close();
  }
}

const textOf = (data: string) => {
  const item = JSON.parse(data) as Item;
  return typeof item.content === 'string' ? item.content : (item.content as { text: string }[])[0]!.text;
};

async function withFile(driver: DriverName, fn: (file: string, store: SqliteHistoryStore) => Promise<void>): Promise<void> {
  const tmp = tempDir();
  const file = join(tmp.dir, 'sessions.db');
  const store = await SqliteHistoryStore.open(file, { driver });
  try {
    await fn(file, store);
  } finally {
    await store.close();
    tmp.remove();
  }
}

for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
  describe(`versions on ${driver}`, () => {
    test('the session rows are the version shown, read with the SDK\'s own SQL, after every edit and switch', async () => {
      await withFile(driver, async (file, store) => {
        const t = await store.createThread('w');
        await store.appendItems(t.id, [user('q0'), assistant('a0')]);
        const second = await store.appendItems(t.id, [user('q1')]);
        const last = await store.appendItems(t.id, [assistant('a1'), user('q2'), assistant('a2')]);
        const original = sdkRead(file, t.id, driver);
        const edited = await store.editQuestion(t.id, second, 'q1 edited', last);
        assert.equal(edited.status, 'done');
        if (edited.status !== 'done') return;
        const answer = await store.appendItems(t.id, [assistant('a1 edited')]);
        const editedRows = sdkRead(file, t.id, driver);
        assert.deepEqual(editedRows.map(textOf), ['q0', 'a0', 'q1 edited', 'a1 edited']);
        let turnId = edited.questionRowId;
        let end = answer;
        for (let round = 0; round < 3; round++) {
          const back = await store.switchVersion(t.id, turnId, 'previous', end);
          assert.equal(back.status, 'done');
          if (back.status !== 'done') return;
          // Byte for byte the rows that were there, in order.
          assert.deepEqual(sdkRead(file, t.id, driver), original);
          const forth = await store.switchVersion(t.id, back.turnId, 'next', back.lastRowId);
          assert.equal(forth.status, 'done');
          if (forth.status !== 'done') return;
          assert.deepEqual(sdkRead(file, t.id, driver), editedRows);
          [turnId, end] = [forth.turnId, forth.lastRowId];
        }
      });
    });

    test('versions inside a hidden version come back with it', async () => {
      await withFile(driver, async (file, store) => {
        const t = await store.createThread('w');
        const first = await store.appendItems(t.id, [user('q0')]);
        await store.appendItems(t.id, [assistant('a0')]);
        const second = await store.appendItems(t.id, [user('q1')]);
        const end = await store.appendItems(t.id, [assistant('a1')]);
        // Version 0 of turn 1 gets a second version of turn 2 before turn 1 is edited.
        const inner = await store.regenerate(t.id, second, end);
        assert.equal(inner.status, 'done');
        if (inner.status !== 'done') return;
        const innerEnd = await store.appendItems(t.id, [assistant('a1 again')]);
        const outer = await store.editQuestion(t.id, first, 'q0 edited', innerEnd);
        assert.equal(outer.status, 'done');
        if (outer.status !== 'done') return;
        const back = await store.switchVersion(t.id, outer.questionRowId, 'previous', outer.lastRowId);
        assert.equal(back.status, 'done');
        if (back.status !== 'done') return;
        assert.deepEqual(sdkRead(file, t.id, driver).map(textOf), ['q0', 'a0', 'q1', 'a1 again']);
        const view = await store.readView(t.id, 10);
        const turns = view.page.items.filter(({ item }) => item.role === 'user').map(({ rowId }) => rowId);
        assert.deepEqual(await store.versionsOf(t.id, turns), new Map([[turns[0]!, { index: 0, count: 2 }], [turns[1]!, { index: 1, count: 2 }]]));
        const innerBack = await store.switchVersion(t.id, turns[1]!, 0, view.lastRowId);
        assert.equal(innerBack.status, 'done');
        assert.deepEqual(sdkRead(file, t.id, driver).map(textOf), ['q0', 'a0', 'q1', 'a1']);
      });
    });

    test('a version costs its own rows plus a constant, not the history before it', async () => {
      await withFile(driver, async (file, store) => {
        const t = await store.createThread('w');
        for (let i = 0; i < 200; i++) await store.appendItems(t.id, [user(`question ${i} ${'x'.repeat(200)}`), assistant(`answer ${i} ${'y'.repeat(400)}`)]);
        const turnId = await store.appendItems(t.id, [user('the last question')]);
        const end = await store.appendItems(t.id, [assistant('the last answer')]);
        const suffixBytes = sdkRead(file, t.id, driver).slice(-2).join('').length;
        const edited = await store.editQuestion(t.id, turnId, 'edited', end);
        assert.equal(edited.status, 'done');
        const [stored] = sql(file, driver, 'SELECT length(rows) AS n FROM session_chat_versions WHERE rows IS NOT NULL');
        assert.ok(Number(stored!.n) <= suffixBytes + 64, `${stored!.n} bytes stored for a ${suffixBytes}-byte suffix`);
      });
    });

    test('deleting a thread removes its versions; the SDK\'s clear_session leaves none behind either', async () => {
      await withFile(driver, async (file, store) => {
        const t = await store.createThread('w');
        const kept = await store.createThread('w');
        for (const thread of [t, kept]) {
          const turnId = await store.appendItems(thread.id, [user('q')]);
          const end = await store.appendItems(thread.id, [assistant('a')]);
          assert.equal((await store.editQuestion(thread.id, turnId, 'q edited', end)).status, 'done');
        }
        await store.deleteThread(t.id);
        assert.deepEqual(sql(file, driver, 'SELECT DISTINCT thread_id AS id FROM session_chat_versions').map((row) => row.id), [kept.id]);
        await store.session(kept.id).clearSession();
        assert.equal(Number(sql(file, driver, 'SELECT count(*) AS n FROM session_chat_versions')[0]!.n), 0);
      });
    });

    test('a file of schema 3 gains the versions table and keeps its undo entries', async () => {
      const tmp = tempDir();
      try {
        const file = join(tmp.dir, 'sessions.db');
        const first = ThreadStore.open(file, { driver });
        const t = first.createThread('w');
        first.addItems(t.id, [user('q0'), assistant('a0'), user('q1'), assistant('a1')]);
        first.undoTurn(t.id);
        first.close();
        const { db } = openDatabase(file, { driver });
        db.exec('DROP TABLE session_chat_versions; ALTER TABLE session_chat_undo DROP COLUMN versions; PRAGMA user_version = 3');
        db.close();
        const store = ThreadStore.open(file, { driver });
        try {
          assert.equal(sql(file, driver, 'PRAGMA user_version')[0]!.user_version, SCHEMA_VERSION);
          assert.equal(store.redoTurn(t.id).status, 'done');
          const turnId = store.readView(t.id, 5).page.items[2]!.rowId;
          assert.equal(store.regenerate(t.id, turnId, store.lastRowId(t.id)).status, 'done');
        } finally {
          store.close();
        }
      } finally {
        tmp.remove();
      }
    });
  });
}

test('Python\'s sqlite3 reads exactly the version shown', { skip: spawnSync('python3', ['--version']).status !== 0 && 'no python3' }, async () => {
  await withFile('better-sqlite3', async (file, store) => {
    const t = await store.createThread('w');
    const turnId = await store.appendItems(t.id, [user('q0')]);
    const end = await store.appendItems(t.id, [assistant('a0'), user('q1'), assistant('a1')]);
    const edited = await store.editQuestion(t.id, turnId, 'q0 edited', end);
    assert.equal(edited.status, 'done');
    await store.appendItems(t.id, [assistant('a0 edited')]);
    const script =
      'import sqlite3, sys, json\n' +
      'c = sqlite3.connect(sys.argv[1])\n' +
      'rows = c.execute("SELECT message_data FROM agent_messages WHERE session_id = ? ORDER BY id", (sys.argv[2],)).fetchall()\n' +
      'print(json.dumps([r[0] for r in rows]))\n';
    const result = spawnSync('python3', ['-c', script, file, t.id], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual((JSON.parse(result.stdout) as string[]).map(textOf), ['q0 edited', 'a0 edited']);
  });
});

/** A child process that switches one turn back and forth forever, printing how many switches committed. */
const SWITCHER = `
import { ThreadStore } from ${JSON.stringify(THREAD_STORE)};
const [file, threadId, turn, driver] = process.argv.slice(1);
const store = ThreadStore.open(file, { driver });
let turnId = Number(turn);
for (let n = 1; ; n++) {
  const result = store.switchVersion(threadId, turnId, n % 2 ? 'previous' : 'next', store.lastRowId(threadId));
  if (result.status !== 'done') throw new Error('switch refused: ' + JSON.stringify(result));
  turnId = result.turnId;
  process.stdout.write(n + '\\n');
}
`;

for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
  test(`${driver}: a process killed mid-switch leaves one complete version, never a mix`, async () => {
    const tmp = tempDir();
    try {
      const file = join(tmp.dir, 'sessions.db');
      const store = ThreadStore.open(file, { driver });
      const t = store.createThread('w');
      store.addItems(t.id, [user('prefix'), assistant('prefix answer')]);
      const turnId = store.addItems(t.id, [user('A 0')]);
      const big = (tag: string) => Array.from({ length: 1500 }, (_, i) => [user(`${tag} ${i + 1}`), assistant(`${tag} answer ${i}`)]).flat();
      store.addItems(t.id, [assistant('A answer 0'), ...big('A')]);
      const versionA = store.getItems(t.id);
      const edited = store.editQuestion(t.id, turnId, 'B 0', store.lastRowId(t.id));
      assert.equal(edited.status, 'done');
      store.addItems(t.id, [assistant('B answer 0'), ...big('B').slice(0, 1000)]);
      const versionB = store.getItems(t.id);
      const shownTurn = edited.status === 'done' ? edited.questionRowId : 0;
      store.close();

      const child = spawn(process.execPath, ['--input-type=module', '-e', SWITCHER, file, t.id, String(shownTurn), driver], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
      let switches = 0;
      try {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`only ${switches} switches in 30 s: ${stderr}`)), 30_000);
          child.stdout!.on('data', (chunk: Buffer) => {
            switches = Number(chunk.toString().trim().split('\n').at(-1));
            // A few switches in, then at a moment that lands inside one (each moves thousands of rows).
            if (switches >= 5) {
              clearTimeout(timer);
              setTimeout(() => {
                child.kill('SIGKILL');
                resolve();
              }, Math.random() * 5);
            }
          });
          child.on('exit', () => reject(new Error(`the switcher stopped: ${stderr}`)));
        });
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      assert.equal(await exited, 'SIGKILL');
      const after = ThreadStore.open(file, { driver });
      try {
        assert.equal(sql(file, driver, 'PRAGMA integrity_check')[0]!.integrity_check, 'ok');
        const shown = after.getItems(t.id);
        assert.ok([versionA, versionB].some((version) => JSON.stringify(version) === JSON.stringify(shown)), `a mix of ${shown.length} items`);
        const hidden = sql(file, driver, 'SELECT rows FROM session_chat_versions WHERE thread_id = ? AND rows IS NOT NULL', t.id);
        assert.equal(hidden.length, 1);
        const other = (JSON.parse(hidden[0]!.rows as string) as string[]).map((row) => JSON.parse(row) as Item);
        assert.deepEqual(other, (shown.length === versionA.length ? versionB : versionA).slice(2));
      } finally {
        after.close();
      }
    } finally {
      tmp.remove();
    }
  });
}
