import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../src/core/session/sqliteDriver.ts';
import { SqliteSession } from '../../src/core/session/sqliteSession.ts';
import { ThreadStore } from '../../src/core/threads/threadStore.ts';
import type { Item } from '../../src/core/session/session.ts';
import { tempDir } from './helpers/tempDir.ts';
import { ITEMS_PER_TURN } from './helpers/turns.ts';

const WRITER = fileURLToPath(new URL('./helpers/turnWriter.ts', import.meta.url));
const THREAD_WRITER = fileURLToPath(new URL('./helpers/threadWriter.ts', import.meta.url));

function startWriter(file: string, writer: string, turns: number, driver: string) {
  return spawn(process.execPath, [WRITER, file, writer, String(turns), driver], { stdio: ['ignore', 'pipe', 'pipe'] });
}

function exitOf(child: ReturnType<typeof startWriter>): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

function integrity(file: string): string {
  const { db } = openDatabase(file);
  try {
    return String(db.prepare('PRAGMA integrity_check').get()?.integrity_check);
  } finally {
    db.close();
  }
}

async function readAll(file: string): Promise<Item[]> {
  const session = new SqliteSession('shared', file);
  try {
    return await session.getItems();
  } finally {
    session.close();
  }
}

/** Asserts the writer's turns are 0..n-1, in order, each complete and contiguous; returns n. */
function checkWriter(items: Item[], writer: string): number {
  const positions = items.flatMap((item, index) => (item.writer === writer ? [index] : []));
  assert.equal(positions.length % ITEMS_PER_TURN, 0, `${writer} left a partial turn`);
  for (let k = 0; k < positions.length; k++) {
    const item = items[positions[k]!]!;
    const turn = Math.floor(k / ITEMS_PER_TURN);
    assert.deepEqual([item.turn, item.part], [turn, k % ITEMS_PER_TURN], `${writer}: item ${k} out of order`);
    // A turn is one transaction, so its items sit on consecutive rows.
    if (k % ITEMS_PER_TURN !== 0) assert.equal(positions[k], positions[k - 1]! + 1, `${writer}: turn ${turn} interleaved`);
  }
  return positions.length / ITEMS_PER_TURN;
}

describe('two processes on one file', () => {
  test('two writers × 2,000 turns (one per driver) lose nothing and keep each order', async () => {
    const tmp = tempDir();
    try {
      const file = join(tmp.dir, 'sessions.db');
      new SqliteSession('shared', file).close(); // create the schema before the race
      const turns = 2000;
      const results = await Promise.all([
        exitOf(startWriter(file, 'A', turns, 'better-sqlite3')),
        exitOf(startWriter(file, 'B', turns, 'node:sqlite')),
      ]);
      for (const result of results) assert.equal(result.code, 0, result.stderr);
      const items = await readAll(file);
      assert.equal(items.length, 2 * turns * ITEMS_PER_TURN);
      assert.equal(checkWriter(items, 'A'), turns);
      assert.equal(checkWriter(items, 'B'), turns);
      let switches = 0;
      for (let i = 1; i < items.length; i++) if (items[i]!.writer !== items[i - 1]!.writer) switches++;
      assert.ok(switches > 1, 'the writers never overlapped, so nothing was tested');
      assert.equal(integrity(file), 'ok');
    } finally {
      tmp.remove();
    }
  });

  test('a writer killed with SIGKILL mid-write leaves every finished turn and no half turn', async () => {
    const tmp = tempDir();
    try {
      const file = join(tmp.dir, 'sessions.db');
      const child = startWriter(file, 'K', 0, 'better-sqlite3');
      const exited = exitOf(child);
      let lastDone = -1;
      try {
        await new Promise<void>((resolve, reject) => {
          // Never let a writer outlive the test, whatever happens to its output.
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
      assert.equal(integrity(file), 'ok');
      const done = checkWriter(await readAll(file), 'K');
      // Every reported turn is there; at most the turns committed after the last report are extra.
      assert.ok(done >= lastDone + 1, `only ${done} turns survive, ${lastDone + 1} were reported`);
    } finally {
      tmp.remove();
    }
  });

  test('two windows opening a new file at once both migrate safely and keep their own threads', async () => {
    const tmp = tempDir();
    try {
      const file = join(tmp.dir, 'sessions.db');
      const turns = 300;
      const children = ['file:///one', 'file:///two'].map((key) => spawn(process.execPath, [THREAD_WRITER, file, key, String(turns)], { stdio: ['ignore', 'pipe', 'pipe'] }));
      for (const result of await Promise.all(children.map(exitOf))) assert.equal(result.code, 0, result.stderr);
      const store = ThreadStore.open(file);
      try {
        for (const key of ['file:///one', 'file:///two']) {
          const threads = store.listThreads(key);
          assert.deepEqual(threads.map((t) => t.title), [`writer ${key}`]);
          assert.equal(checkWriter(store.getItems(threads[0]!.id), key), turns);
        }
      } finally {
        store.close();
      }
      assert.equal(integrity(file), 'ok');
    } finally {
      tmp.remove();
    }
  });
});
