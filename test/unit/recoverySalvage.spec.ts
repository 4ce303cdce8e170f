import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Item } from '../../src/core/session/session.ts';
import { openDatabase } from '../../src/core/session/sqliteDriver.ts';
import type { DriverName } from '../../src/core/session/sqliteDriver.ts';
import { SqliteSession } from '../../src/core/session/sqliteSession.ts';
import { SqliteHistoryStore, StoreOpenError } from '../../src/core/store/sqliteHistoryStore.ts';
import type { RecoveredInfo } from '../../src/core/store/sqliteHistoryStore.ts';
import { ThreadStore } from '../../src/core/threads/threadStore.ts';
import { tempDir } from './helpers/tempDir.ts';

/** A message long enough that a 4 KiB page holds only a few, so one damaged page loses only those. */
function message(role: 'user' | 'assistant', text: string): Item {
  return { role, content: `${text} ${'.'.repeat(1800)}` };
}

function readVarint(bytes: Buffer, at: number): [number, number] {
  let value = 0;
  for (let i = 0; i < 9; i++) {
    const byte = bytes[at + i]!;
    if (i === 8) return [value * 256 + byte, at + 9];
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) return [value, at + i + 1];
  }
  throw new Error('unreachable');
}

/** Row ids of the cells on one table leaf page (b-tree page type 0x0d). */
function rowIdsOnLeaf(bytes: Buffer, pageSize: number, page: number): number[] {
  const base = (page - 1) * pageSize;
  const header = page === 1 ? base + 100 : base;
  assert.equal(bytes[header], 0x0d, `page ${page} is a table leaf`);
  const ids: number[] = [];
  for (let i = 0; i < bytes.readUInt16BE(header + 3); i++) {
    const cell = base + bytes.readUInt16BE(header + 8 + 2 * i);
    const [, afterSize] = readVarint(bytes, cell);
    ids.push(readVarint(bytes, afterSize)[0]);
  }
  return ids;
}

/**
 * Writes garbage over the leaf page of `table` that holds `rowId` (the file must be closed, its WAL
 * checkpointed); returns the row ids that page held, i.e. what is lost.
 */
function damagePageHolding(file: string, table: string, rowId: number): number[] {
  const { db } = openDatabase(file);
  let pageSize: number;
  let leaves: number[];
  try {
    pageSize = Number(db.prepare('PRAGMA page_size').get()!.page_size);
    leaves = db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY path").all(table).map((row) => Number(row.pageno));
  } finally {
    db.close();
  }
  assert.ok(!existsSync(`${file}-wal`), 'everything is in the main file');
  const bytes = readFileSync(file);
  for (const page of leaves) {
    const ids = rowIdsOnLeaf(bytes, pageSize, page);
    if (!ids.includes(rowId)) continue;
    assert.ok(leaves.length > 2 && page !== leaves[0] && page !== leaves.at(-1), 'a page in the middle of the table');
    bytes.fill(0xa5, (page - 1) * pageSize, page * pageSize);
    writeFileSync(file, bytes);
    return ids;
  }
  throw new Error(`no leaf of ${table} holds row ${rowId}`);
}

interface Fixture {
  file: string;
  a: string;
  b: string;
  /** Every row the two threads hold, by row id. */
  rows: Map<number, { thread: string; item: Item }>;
}

/** Two threads in two workspaces, three turns each, written one thread after the other. */
function buildStore(dir: string, driver: DriverName): Fixture {
  const file = join(dir, 'sessions.db');
  const store = ThreadStore.open(file, { driver });
  const rows = new Map<number, { thread: string; item: Item }>();
  const a = store.createThread('file:///alpha', 'Alpha plans').id;
  const b = store.createThread('file:///beta', 'Beta notes').id;
  for (const thread of [a, b]) {
    for (let turn = 0; turn < 3; turn++) {
      for (const item of [message('user', `${thread} q${turn}`), message('assistant', `${thread} a${turn}`)]) {
        const rowId = store.addItems(thread, [item]);
        rows.set(rowId, { thread, item });
      }
    }
  }
  store.setCurrentThread('file:///alpha', a);
  store.close();
  return { file, a, b, rows };
}

function itemsOf(fixture: Fixture, thread: string, lost: readonly number[]): Item[] {
  return [...fixture.rows].filter(([id, row]) => row.thread === thread && !lost.includes(id)).map(([, row]) => row.item);
}

function rowIdOf(fixture: Fixture, thread: string, index: number): number {
  return [...fixture.rows].filter(([, row]) => row.thread === thread)[index]![0];
}

for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
  describe(`damage found while the chat runs is recovered from (${driver})`, () => {
    test('Clear on a thread with a damaged page: moved aside, readable rows salvaged, Clear done on the fresh file', async () => {
      const tmp = tempDir();
      try {
        const fixture = buildStore(tmp.dir, driver);
        // Thread a's second question: a page that opening the store does not read.
        const lost = damagePageHolding(fixture.file, 'agent_messages', rowIdOf(fixture, fixture.a, 2));
        const damaged = readFileSync(fixture.file);
        const store = await SqliteHistoryStore.open(fixture.file, { driver });
        try {
          assert.equal(store.recovered, undefined, 'opening does not notice');
          const events: RecoveredInfo[] = [];
          store.onDidRecover((info) => events.push(info));

          const expectedA = itemsOf(fixture, fixture.a, lost);
          assert.equal(await store.clearThread(fixture.a), expectedA.length);

          assert.equal(events.length, 1, 'the host is told once');
          const info = events[0]!;
          assert.equal(info.kind, 'corrupt');
          assert.match(info.reason, /malformed|corrupt/i);
          assert.match(info.movedTo, /sessions\.db\.corrupt-/);
          assert.deepEqual(readFileSync(info.movedTo), damaged, 'the damaged file is kept as it was');
          assert.deepEqual(info.salvaged, { threads: 2, items: fixture.rows.size - lost.length });
          assert.deepEqual(store.recovered, info);

          // The fresh file holds what could be read, with titles, workspaces and the current pointer.
          assert.deepEqual((await store.listThreads('file:///alpha')).map((t) => [t.id, t.title]), [[fixture.a, 'Alpha plans']]);
          assert.deepEqual((await store.listThreads('file:///beta')).map((t) => [t.id, t.title]), [[fixture.b, 'Beta notes']]);
          assert.equal(await store.currentThreadId('file:///alpha'), fixture.a);
          assert.deepEqual(await store.getItems(fixture.b), itemsOf(fixture, fixture.b, lost));
          assert.deepEqual(await store.getItems(fixture.a), [], 'the Clear was applied');
          assert.deepEqual(await store.undoTurn(fixture.a), { status: 'done', kind: 'clearUndone', items: expectedA });
        } finally {
          await store.close();
        }
        const check = openDatabase(fixture.file);
        try {
          assert.equal(check.db.prepare('PRAGMA integrity_check').get()!.integrity_check, 'ok');
        } finally {
          check.db.close();
        }
      } finally {
        tmp.remove();
      }
    });

    test('Undo on a thread whose last turn is damaged does not throw, and the rest survives', async () => {
      const tmp = tempDir();
      try {
        const fixture = buildStore(tmp.dir, driver);
        const lost = damagePageHolding(fixture.file, 'agent_messages', rowIdOf(fixture, fixture.a, 4));
        const store = await SqliteHistoryStore.open(fixture.file, { driver });
        try {
          const events: RecoveredInfo[] = [];
          store.onDidRecover((info) => events.push(info));
          const result = await store.undoTurn(fixture.a);
          assert.equal(result.status, 'done');
          assert.equal(events.length, 1);
          assert.ok(existsSync(events[0]!.movedTo));
          assert.ok(existsSync(fixture.file), 'a fresh file in its place');
          const readable = itemsOf(fixture, fixture.a, lost);
          const remaining = await store.getItems(fixture.a);
          const removed = result.status === 'done' ? result.items : [];
          assert.deepEqual([...remaining, ...removed], readable, 'Undo removed the newest readable turn; nothing else is missing');
          assert.deepEqual(await store.getItems(fixture.b), itemsOf(fixture, fixture.b, lost));
          assert.deepEqual(await store.redoTurn(fixture.a), { status: 'done', kind: 'turnRestored', items: removed });
        } finally {
          await store.close();
        }
      } finally {
        tmp.remove();
      }
    });

    test('while another connection has the file open it is not moved (renaming a database in use loses data); once alone it is', async () => {
      const tmp = tempDir();
      try {
        const fixture = buildStore(tmp.dir, driver);
        const lost = damagePageHolding(fixture.file, 'agent_messages', rowIdOf(fixture, fixture.a, 2));
        // Another window, or a script in this process: it holds the file open.
        const other = new SqliteSession('script', fixture.file, { driver });
        let otherOpen = true;
        const store = await SqliteHistoryStore.open(fixture.file, { driver });
        try {
          await assert.rejects(store.clearThread(fixture.a), (err: unknown) => {
            assert.ok(err instanceof StoreOpenError);
            assert.equal(err.problem, 'damagedInUse');
            assert.equal(err.path, fixture.file);
            assert.match(err.reason, /malformed|corrupt/i);
            assert.match(err.advice, /Close the other/);
            return true;
          });
          assert.deepEqual(readdirSync(tmp.dir).filter((name) => name.includes('.corrupt-')), [], 'nothing moved');
          assert.equal(store.recovered, undefined, 'nothing recovered yet');
          assert.deepEqual(await store.getItems(fixture.b), itemsOf(fixture, fixture.b, lost), 'what reads still works');

          other.close();
          otherOpen = false;
          assert.equal(await store.clearThread(fixture.a), itemsOf(fixture, fixture.a, lost).length);
          const after: SqliteHistoryStore = store;
          assert.equal(after.recovered?.kind, 'corrupt');
        } finally {
          if (otherOpen) other.close();
          await store.close();
        }
      } finally {
        tmp.remove();
      }
    });

    test('damage on a page that opening reads: moved aside at open, threads come back even when their session rows were lost', async () => {
      const tmp = tempDir();
      try {
        const file = join(tmp.dir, 'sessions.db');
        const setup = ThreadStore.open(file, { driver });
        const threads = Array.from({ length: 200 }, (_, i) => setup.createThread(`file:///w${i % 3}`, `Thread ${i}`));
        for (const thread of threads) setup.addItems(thread.id, [{ role: 'user', content: `hello from ${thread.title}` }]);
        const middle = threads[100]!.id;
        setup.close();
        const { db } = openDatabase(file, { driver });
        const sessionRowId = Number(db.prepare('SELECT rowid FROM agent_sessions WHERE session_id = ?').get(middle)!.rowid);
        db.close();
        const lostSessions = damagePageHolding(file, 'agent_sessions', sessionRowId);
        assert.ok(lostSessions.length > 1 && lostSessions.length < 200);

        const store = await SqliteHistoryStore.open(file, { driver });
        try {
          const recovered = store.recovered;
          assert.equal(recovered?.kind, 'corrupt', 'opening found it');
          assert.deepEqual(recovered.salvaged, { threads: 200, items: 200 });
          const listed = await store.listThreads();
          assert.equal(listed.length, 200);
          const info = listed.find((thread) => thread.id === middle)!;
          assert.deepEqual([info.title, info.workspaceKey], [threads[100]!.title, threads[100]!.workspaceKey]);
          assert.deepEqual(await store.getItems(middle), [{ role: 'user', content: `hello from ${threads[100]!.title}` }]);
        } finally {
          await store.close();
        }
      } finally {
        tmp.remove();
      }
    });

    test('the row ids survive salvage, so what the panel holds still names the same rows', async () => {
      const tmp = tempDir();
      try {
        const fixture = buildStore(tmp.dir, driver);
        const lost = damagePageHolding(fixture.file, 'agent_messages', rowIdOf(fixture, fixture.a, 2));
        const store = await SqliteHistoryStore.open(fixture.file, { driver });
        try {
          const lastOfB = rowIdOf(fixture, fixture.b, 5);
          await store.clearThread(fixture.a);
          assert.ok(store.recovered);
          assert.equal((await store.lastItem(fixture.b))?.rowId, lastOfB);
          // A transaction prepared against the old file still applies: the expected row is the same.
          const applied = await store.applyTransaction({ operationId: 'op-1', threadId: fixture.b, expectedLastRowId: lastOfB, replacement: [message('user', 'after')] });
          assert.equal(applied.status, 'applied');
          assert.ok(lost.length > 0);
        } finally {
          await store.close();
        }
      } finally {
        tmp.remove();
      }
    });
  });
}
