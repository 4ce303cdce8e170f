// Large version switches run in the switch worker (src/core/store/switchWorker.ts): the same result
// and the same session rows as the inline switch, the host's event loop free meanwhile, and the
// host's own writes during the switch retried until it commits.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Item } from '../../src/core/session/session.ts';
import { isBusyError, openDatabase } from '../../src/core/session/sqliteDriver.ts';
import type { DriverName } from '../../src/core/session/sqliteDriver.ts';
import type { SwitchVersionResult, VersionTarget } from '../../src/core/store/historyStore.ts';
import { SqliteHistoryStore } from '../../src/core/store/sqliteHistoryStore.ts';
import { assistant, user } from './helpers/historyStoreContract.ts';
import { tempDir } from './helpers/tempDir.ts';

const TURNS = 3000;

/** The thread's rows as the Python SDK reads them, on the store's own driver (never mix libraries). */
function sdkRead(file: string, threadId: string, driver: DriverName): string[] {
  const { db } = openDatabase(file, { driver });
  try {
    return db.prepare('SELECT message_data FROM agent_messages WHERE session_id = ? ORDER BY id').all(threadId).map((row) => row.message_data as string);
  } finally {
    db.close();
  }
}

function turn(i: number): Item[] {
  return [
    user(`Question ${i}: ${'how does it work? '.repeat(4)}`),
    { type: 'function_call', call_id: `c${i}`, name: 'read_file', arguments: JSON.stringify({ path: `src/f${i}.ts` }) } as Item,
    { type: 'function_call_output', call_id: `c${i}`, output: `export const f${i} = 1;\n${'// ...\n'.repeat(10)}` } as Item,
    assistant(`Answer ${i}: ${'it walks the tokens. '.repeat(4)}`),
  ];
}

/** A store with a 3,000-turn thread whose 10th question was edited and answered; the edited version is shown. */
async function build(store: SqliteHistoryStore): Promise<{ threadId: string; turnId: number }> {
  const thread = await store.createThread('file:///w');
  for (let from = 0; from < TURNS; from += 500) {
    const items: Item[] = [];
    for (let i = from; i < from + 500; i++) items.push(...turn(i));
    await store.appendItems(thread.id, items);
  }
  const view = await store.readView(thread.id, 1);
  const items = await store.getItems(thread.id);
  assert.equal(items.length, TURNS * 4);
  // Row ids of a fresh file start at 1 and this thread is its only writer: turn 10 starts at row 37.
  const edited = await store.editQuestion(thread.id, 9 * 4 + 1, 'Question 9, edited', view.lastRowId);
  assert.equal(edited.status, 'done');
  await store.appendItems(thread.id, [assistant('Answer 9, edited')]);
  return { threadId: thread.id, turnId: edited.status === 'done' ? edited.questionRowId : 0 };
}

/** Runs `call` while a 1 ms interval counts ticks and the longest gap between them. */
async function watchLoop<T>(call: () => Promise<T>): Promise<{ value: T; ticks: number; longestGap: number }> {
  let ticks = 0;
  let last = performance.now();
  let longestGap = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestGap = Math.max(longestGap, now - last);
    last = now;
    ticks++;
  }, 1);
  try {
    last = performance.now();
    const value = await call();
    longestGap = Math.max(longestGap, performance.now() - last);
    return { value, ticks, longestGap };
  } finally {
    clearInterval(timer);
  }
}

async function lastRowId(store: SqliteHistoryStore, threadId: string): Promise<number> {
  return (await store.readView(threadId, 1)).lastRowId;
}

for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
  describe(`large version switches in the worker on ${driver}`, () => {
    test('a switch at turn 10 of a 3,000-turn thread: same result and rows as inline, the event loop ticks meanwhile', async () => {
      const tmp = tempDir();
      const inlineFile = join(tmp.dir, 'inline.db');
      const workerFile = join(tmp.dir, 'worker.db');
      const inline = await SqliteHistoryStore.open(inlineFile, { driver, switchWorkerPath: false });
      const worker = await SqliteHistoryStore.open(workerFile, { driver });
      try {
        const a = await build(inline);
        const b = await build(worker);
        assert.equal(a.turnId, b.turnId);
        let turnA = a.turnId;
        let turnB = b.turnId;
        for (const target of ['previous', 'next', 'previous', 1, 0] satisfies VersionTarget[]) {
          const expected = await lastRowId(inline, a.threadId);
          assert.equal(await lastRowId(worker, b.threadId), expected);
          const viaInline = await watchLoop(() => inline.switchVersion(a.threadId, turnA, target, expected));
          const viaWorker = await watchLoop(() => worker.switchVersion(b.threadId, turnB, target, expected));
          assert.deepEqual(viaWorker.value, viaInline.value, `switch to ${target}`);
          assert.equal(viaWorker.value.status, 'done');
          assert.deepEqual(sdkRead(workerFile, b.threadId, driver), sdkRead(inlineFile, a.threadId, driver), `rows after the switch to ${target}`);
          assert.equal(worker.switchWorkerProblem, undefined);
          if (process.env.DEBUG_SWITCH) console.log(driver, target, viaInline.ticks, viaInline.longestGap, viaWorker.ticks, viaWorker.longestGap);
          // Inline, the host's thread is held for the whole switch; in the worker it keeps ticking.
          assert.ok(viaWorker.ticks >= 3, `the loop ticked ${viaWorker.ticks} times during the worker's switch`);
          turnA = (viaInline.value as Extract<SwitchVersionResult, { status: 'done' }>).turnId;
          turnB = (viaWorker.value as Extract<SwitchVersionResult, { status: 'done' }>).turnId;
        }
        const shown = sdkRead(workerFile, b.threadId, driver);
        assert.equal(shown.length, TURNS * 4, 'version 0 (the original) is shown again, whole');
        // A stale expectation is still a conflict, answered by the worker, and changes nothing.
        const stale = await worker.switchVersion(b.threadId, turnB, 'previous', 1);
        assert.deepEqual(stale, { status: 'conflict', lastRowId: await lastRowId(worker, b.threadId) });
        assert.deepEqual(sdkRead(workerFile, b.threadId, driver), shown);
      } finally {
        await inline.close();
        await worker.close();
        tmp.remove();
      }
    });

    test('an append from the host during the worker\'s switch waits (busy, retried) and lands after it', async () => {
      const tmp = tempDir();
      const file = join(tmp.dir, 'sessions.db');
      const store = await SqliteHistoryStore.open(file, { driver });
      const { db: probe } = openDatabase(file, { driver, busyTimeoutMs: 0 });
      try {
        const built = await build(store);
        const { threadId } = built;
        // Back and forth once first: the worker's start (its open takes the write lock for a moment)
        // is behind us, so the lock waited for below is the switch's.
        const back = await store.switchVersion(threadId, built.turnId, 'previous', await lastRowId(store, threadId));
        assert.equal(back.status, 'done');
        const forth = await store.switchVersion(threadId, back.status === 'done' ? back.turnId : 0, 'next', await lastRowId(store, threadId));
        assert.equal(forth.status, 'done');
        const turnId = forth.status === 'done' ? forth.turnId : 0;
        const expected = await lastRowId(store, threadId);
        const switching = store.switchVersion(threadId, turnId, 'previous', expected);
        // Wait until the worker's transaction holds the write lock.
        const deadline = Date.now() + 20_000;
        for (;;) {
          try {
            probe.exec('BEGIN IMMEDIATE');
            probe.exec('ROLLBACK');
          } catch (err) {
            if (isBusyError(err)) break;
            throw err;
          }
          assert.ok(Date.now() < deadline, 'the worker never took the write lock');
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
        const appended = await store.appendItems(threadId, [user('while switching'), assistant('after it')]);
        const result = await switching;
        assert.equal(result.status, 'done');
        if (result.status !== 'done') return;
        assert.ok(appended > result.lastRowId, `the append (${appended}) lands after the switch (${result.lastRowId})`);
        const rows = sdkRead(file, threadId, driver);
        assert.equal(rows.length, TURNS * 4 + 2);
        assert.deepEqual(rows.slice(-2).map((row) => (JSON.parse(row) as { role: string }).role), ['user', 'assistant']);
        assert.match(rows.at(-2)!, /while switching/);
        assert.match(rows.at(-3)!, new RegExp(`Answer ${TURNS - 1}:`));
      } finally {
        probe.close();
        await store.close();
        tmp.remove();
      }
    });

    test('without a worker module the large switch runs inline and gives the same answer', async () => {
      const tmp = tempDir();
      const file = join(tmp.dir, 'sessions.db');
      const store = await SqliteHistoryStore.open(file, { driver, switchWorkerPath: join(tmp.dir, 'missing.js') });
      try {
        const { threadId, turnId } = await build(store);
        const result = await store.switchVersion(threadId, turnId, 'previous', await lastRowId(store, threadId));
        assert.equal(result.status, 'done');
        assert.match(store.switchWorkerProblem ?? '', /could not start/);
        assert.equal(sdkRead(file, threadId, driver).length, TURNS * 4);
      } finally {
        await store.close();
        tmp.remove();
      }
    });
  });
}
