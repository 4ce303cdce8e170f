import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Item } from '../../src/core/session/session.ts';
import { PgHistoryStore } from '../../src/core/store/pg/pgHistoryStore.ts';
import { sharedPostgres, stopSharedPostgres } from './helpers/postgresServer.ts';
import { sdkGetItems, withClient } from './helpers/sqlAlchemySql.ts';
import { ITEMS_PER_TURN } from './helpers/turns.ts';

// The concurrency and kill suites of concurrency.spec.ts, on PostgreSQL: writers are separate
// processes with their own connections, one through the store, one as the Python SDK writes.
after(stopSharedPostgres);

const WRITER = fileURLToPath(new URL('./helpers/pgTurnWriter.ts', import.meta.url));

function startWriter(url: string, threadId: string, writer: string, turns: number, mode: 'store' | 'sdk') {
  return spawn(process.execPath, [WRITER, url, threadId, writer, String(turns), mode], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function exitOf(child: ReturnType<typeof startWriter>): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

/** Asserts the writer's turns are 0..n-1, in order, each complete (and contiguous unless told otherwise); returns n. */
function checkWriter(items: Item[], writer: string, contiguous = true): number {
  const positions = items.flatMap((item, index) => (item.writer === writer ? [index] : []));
  assert.equal(positions.length % ITEMS_PER_TURN, 0, `${writer} left a partial turn`);
  for (let k = 0; k < positions.length; k++) {
    const item = items[positions[k]!]!;
    const turn = Math.floor(k / ITEMS_PER_TURN);
    assert.deepEqual([item.turn, item.part], [turn, k % ITEMS_PER_TURN], `${writer}: item ${k} out of order`);
    if (contiguous && k % ITEMS_PER_TURN !== 0) assert.equal(positions[k], positions[k - 1]! + 1, `${writer}: turn ${turn} interleaved`);
  }
  return positions.length / ITEMS_PER_TURN;
}

async function freshThread(): Promise<{ url: string; store: PgHistoryStore; threadId: string }> {
  const url = await (await sharedPostgres()).createDatabase();
  const store = await PgHistoryStore.open({ connectionString: url });
  const threadId = (await store.createThread('w', 'shared')).id;
  return { url, store, threadId };
}

describe('two clients on one PostgreSQL thread', () => {
  test('two writers × 2,000 turns (the store and the SDK) lose nothing and keep each order, in our order and the SDK\'s', async () => {
    const { url, store, threadId } = await freshThread();
    try {
      const turns = 2000;
      const results = await Promise.all([
        exitOf(startWriter(url, threadId, 'A', turns, 'store')),
        exitOf(startWriter(url, threadId, 'B', turns, 'sdk')),
      ]);
      for (const result of results) assert.equal(result.code, 0, result.stderr);
      const items = await store.getItems(threadId);
      assert.equal(items.length, 2 * turns * ITEMS_PER_TURN);
      // By id (our order) a turn of ours can have an SDK row inside it: the SDK takes no lock
      // before it inserts, and two inserts running at once draw ids from the sequence in turn.
      assert.equal(checkWriter(items, 'A', false), turns);
      assert.equal(checkWriter(items, 'B', false), turns);
      let switches = 0;
      for (let i = 1; i < items.length; i++) if (items[i]!.writer !== items[i - 1]!.writer) switches++;
      assert.ok(switches > 1, 'the writers never overlapped, so nothing was tested');
      // The SDK reads by created_at, then id: there every turn is whole (one time per transaction).
      const sdkItems = await withClient(url, (client) => sdkGetItems(client, threadId));
      assert.equal(sdkItems.length, items.length);
      assert.equal(checkWriter(sdkItems, 'A'), turns);
      assert.equal(checkWriter(sdkItems, 'B'), turns);
      assert.deepEqual(await store.searchIndexStatus().then(() => store.indexPending(100_000)), 0, 'every row reached the search index');
      assert.equal((await store.search('question 1999 from B')).length, 1);
    } finally {
      await store.close();
    }
  });

  test('two store clients × 2,000 turns on one thread lose nothing and keep each order', async () => {
    const { url, store, threadId } = await freshThread();
    try {
      const turns = 2000;
      const results = await Promise.all([
        exitOf(startWriter(url, threadId, 'A', turns, 'store')),
        exitOf(startWriter(url, threadId, 'B', turns, 'store')),
      ]);
      for (const result of results) assert.equal(result.code, 0, result.stderr);
      const items = await store.getItems(threadId);
      assert.equal(items.length, 2 * turns * ITEMS_PER_TURN);
      assert.equal(checkWriter(items, 'A'), turns);
      assert.equal(checkWriter(items, 'B'), turns);
      const sdkItems = await withClient(url, (client) => sdkGetItems(client, threadId));
      assert.deepEqual(sdkItems, items, 'the SDK reads our writes in the order we do');
    } finally {
      await store.close();
    }
  });

  for (const mode of ['store', 'sdk'] as const) {
    test(`a ${mode} writer killed with SIGKILL mid-write leaves every finished turn and no half turn`, async () => {
      const { url, store, threadId } = await freshThread();
      try {
        const child = startWriter(url, threadId, 'K', 0, mode);
        const exited = exitOf(child);
        let lastDone = -1;
        try {
          await new Promise<void>((resolve, reject) => {
            const timer = setTimeout(() => reject(new Error(`the writer reported only ${lastDone + 1} turns in 20 s`)), 20_000);
            let pending = '';
            child.stdout!.on('data', (chunk: Buffer) => {
              const lines = (pending + chunk.toString()).split('\n');
              pending = lines.pop()!;
              if (lines.length > 0) lastDone = Number(lines[lines.length - 1]);
              if (lastDone >= 300) {
                clearTimeout(timer);
                child.kill('SIGKILL');
                resolve();
              }
            });
          });
        } finally {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
        }
        assert.equal((await exited).signal, 'SIGKILL');
        // The server rolls back the killed client's open transaction when its connection drops;
        // wait until that backend is gone so the read below sees the final state.
        for (let i = 0; i < 100; i++) {
          const open = await withClient(url, async (client) =>
            Number((await client.query("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> 'session-chat' AND backend_type = 'client backend'")).rows[0].n),
          );
          if (open === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        const done = checkWriter(await store.getItems(threadId), 'K');
        assert.ok(done >= lastDone + 1, `only ${done} turns survive, ${lastDone + 1} were reported`);
        assert.ok(done <= lastDone + 2, `${done} turns, but only ${lastDone + 1} were reported before the kill`);
        // The thread still takes writes: nothing was left locked.
        assert.ok((await store.appendItems(threadId, [{ type: 'message', role: 'user', content: 'after' }])) > 0);
      } finally {
        await store.close();
      }
    });
  }
});
