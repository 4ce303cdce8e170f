// PostgreSQL history store against its floor (a bare `pg` client sending the same SQL on one
// connection, without the store's layers) and beside the SQLite store, on a 5,000-turn thread:
// add a turn, read the last 50 items, Undo (with Redo after it, not timed, so the thread keeps its
// size), and the panel's snapshot (`readView` of 30 turns). Medians in µs, the three measured in
// interleaved rounds. Then two stores on one database (two pools, as two machines): the time from
// one's append until the other's `onDidChange` fires. The server is a local one started here
// (test/unit/helpers/postgresServer.ts): loopback, so the figures are the client's and the server's
// work without network latency. `--runs N` (default 3) repeats the workload on fresh databases.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Item } from '../src/core/session/session.ts';
import type { HistoryStore } from '../src/core/store/historyStore.ts';
import { PgHistoryStore } from '../src/core/store/pg/pgHistoryStore.ts';
import { PG_TURN_START } from '../src/core/store/pg/pgSchema.ts';
import { SqliteHistoryStore } from '../src/core/store/sqliteHistoryStore.ts';
import { startPostgres } from '../test/unit/helpers/postgresServer.ts';
import { printTable } from './benchTable.ts';
import type { Results } from './benchTable.ts';

const PREFILL_TURNS = 5000;
const OPS = 200;
const ROUNDS = 10;
const PAGE = 30;
const LATENCY_SAMPLES = 20;
const FLOOR = 'bare pg (same SQL)';
const NAMES = [FLOOR, 'PgHistoryStore', 'SqliteHistoryStore'];
const at = process.argv.indexOf('--runs');
const RUNS = at === -1 ? 3 : Number(process.argv[at + 1]);

function turn(i: number): Item[] {
  const callId = `call_${i}`;
  return [
    { type: 'message', role: 'user', content: `Question ${i}: why is this function slow on large inputs?` },
    { type: 'function_call', call_id: callId, name: 'read_file', arguments: JSON.stringify({ path: `src/file${i}.ts` }) },
    { type: 'function_call_output', call_id: callId, output: `export function f${i}(a, b) {\n${'  total += compute(a, b);\n'.repeat(10)}}` },
    { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: `It copies the buffer on every call. ${'Move the allocation out of the loop. '.repeat(6)}` }] },
  ];
}

async function prefill(store: HistoryStore, threadId: string): Promise<void> {
  for (let i = 0; i < PREFILL_TURNS; i += 100) await store.appendItems(threadId, Array.from({ length: 100 }, (_, k) => turn(i + k)).flat());
}

/** One bench subject: the four operations on its own thread. */
interface Subject {
  name: string;
  addTurn(i: number): Promise<unknown>;
  last50(): Promise<unknown>;
  undo(): Promise<unknown>;
  redo(): Promise<unknown>;
  snapshot(): Promise<unknown>;
}

function storeSubject(name: string, store: HistoryStore, threadId: string): Subject {
  return {
    name,
    addTurn: (i) => store.appendItems(threadId, turn(PREFILL_TURNS + i)),
    last50: () => store.getItems(threadId, 50),
    undo: () => store.undoTurn(threadId),
    redo: () => store.redoTurn(threadId),
    snapshot: () => store.readView(threadId, PAGE),
  };
}

/** The store's statements for each operation, sent by one bare client. */
function floorSubject(client: pg.Client, threadId: string): Subject {
  const q = (text: string, params?: unknown[]) => client.query(text, params);
  const lock = () => q('WITH made AS (INSERT INTO agent_sessions (session_id) VALUES ($1) ON CONFLICT (session_id) DO NOTHING) SELECT 1 FROM agent_sessions WHERE session_id = $1 FOR UPDATE', [threadId]);
  const newestStart = async () => Number((await q(`SELECT id FROM agent_messages WHERE session_id = $1 AND ${PG_TURN_START} ORDER BY id DESC LIMIT 1`, [threadId])).rows[0].id);
  return {
    name: FLOOR,
    async addTurn(i) {
      await q('BEGIN');
      await lock();
      await q(
        'WITH touched AS (UPDATE agent_sessions SET updated_at = CURRENT_TIMESTAMP WHERE session_id = $1) INSERT INTO agent_messages (session_id, message_data, created_at) ' +
          'SELECT $1, r.data, t.at FROM (SELECT clock_timestamp() AS at) AS t, unnest($2::text[]) WITH ORDINALITY AS r (data, n) ORDER BY r.n RETURNING id',
        [threadId, turn(PREFILL_TURNS + i).map((item) => JSON.stringify(item))],
      );
      await q('WITH dropped AS (DELETE FROM session_chat_undo WHERE thread_id = $2) UPDATE session_chat_threads SET updated_at = $1 WHERE id = $2', [Date.now(), threadId]);
      await q('COMMIT');
    },
    async last50() {
      const rows = (await q('SELECT id, message_data FROM agent_messages WHERE session_id = $1 ORDER BY id DESC LIMIT 50', [threadId])).rows;
      return rows.reverse().map((row) => JSON.parse(row.message_data as string) as Item);
    },
    async undo() {
      await q('BEGIN');
      await lock();
      const start = await newestStart();
      const rows = (await q('SELECT id, message_data FROM agent_messages WHERE session_id = $1 AND id >= $2 ORDER BY id', [threadId, start])).rows;
      await q('DELETE FROM agent_messages WHERE session_id = $1 AND id >= $2', [threadId, start]);
      await q("INSERT INTO session_chat_undo (thread_id, kind, rows, created_at, expected_last_row_id) VALUES ($1, 'turn', $2, $3, 0)", [
        threadId, JSON.stringify(rows.map((row) => row.message_data)), Date.now(),
      ]);
      await q('COMMIT');
      return rows.map((row) => JSON.parse(row.message_data as string) as Item);
    },
    async redo() {
      await q('BEGIN');
      const entry = (await q("DELETE FROM session_chat_undo WHERE id = (SELECT max(id) FROM session_chat_undo WHERE thread_id = $1) RETURNING rows", [threadId])).rows[0];
      await q('INSERT INTO agent_messages (session_id, message_data) SELECT $1, r.data FROM unnest($2::text[]) WITH ORDINALITY AS r (data, n) ORDER BY r.n', [threadId, JSON.parse(entry.rows as string)]);
      await q('COMMIT');
    },
    async snapshot() {
      await q('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      await q('SELECT id, workspace_key, title, created_at, updated_at, pinned FROM session_chat_threads WHERE id = $1', [threadId]);
      const starts = (await q(`SELECT id FROM agent_messages WHERE session_id = $1 AND id < $2 AND ${PG_TURN_START} ORDER BY id DESC LIMIT $3`, [threadId, 2_147_483_647, PAGE + 1])).rows;
      const rows = (await q('SELECT id, message_data FROM agent_messages WHERE session_id = $1 AND id >= $2 ORDER BY id', [threadId, starts[PAGE - 1].id])).rows;
      await q('SELECT max(id) AS id FROM agent_messages WHERE session_id = $1', [threadId]);
      await q('SELECT id, kind FROM session_chat_undo WHERE thread_id = $1 ORDER BY id DESC LIMIT 1', [threadId]);
      await newestStart();
      await q('COMMIT');
      return rows.map((row) => JSON.parse(row.message_data as string) as Item);
    },
  };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Each operation on every subject in interleaved rounds: label -> subject -> median µs. */
async function workload(subjects: Subject[]): Promise<Results> {
  const results: Results = new Map();
  const ops: Array<[string, (s: Subject, i: number) => Promise<number>]> = [
    ['add a turn (4 items)', (s, i) => time(() => s.addTurn(i))],
    ['last 50 items', (s) => time(() => s.last50())],
    ['undo (redo after it, not timed)', async (s) => {
      const took = await time(() => s.undo());
      await s.redo();
      return took;
    }],
    [`snapshot (readView, ${PAGE} turns)`, (s) => time(() => s.snapshot())],
  ];
  for (const [label, op] of ops) {
    const times = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const subject of subjects) for (let i = 0; i < OPS / ROUNDS; i++) times.get(subject.name)!.push(await op(subject, round * OPS + i));
    }
    results.set(label, new Map([...times].map(([name, list]) => [name, median(list)])));
  }
  return results;
}

/** Two stores on one database: ms from one's append resolving until the other's onDidChange fires. */
async function changeLatency(url: string): Promise<number[]> {
  const writer = await PgHistoryStore.open({ connectionString: url });
  const reader = await PgHistoryStore.open({ connectionString: url });
  const thread = await writer.createThread('w', 'latency');
  const samples: number[] = [];
  let seen: (() => void) | undefined;
  const stop = reader.onDidChange(() => seen?.());
  await new Promise((resolve) => setTimeout(resolve, 300));
  for (let i = 0; i < LATENCY_SAMPLES; i++) {
    const arrived = new Promise<void>((resolve) => (seen = resolve));
    const start = process.hrtime.bigint();
    await writer.appendItems(thread.id, turn(i));
    await arrived;
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  stop();
  await writer.close();
  await reader.close();
  return samples;
}

const server = await startPostgres();
try {
  const runs: Results[] = [];
  let latency: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const url = await server.createDatabase();
    const pgStore = await PgHistoryStore.open({ connectionString: url });
    const pgThread = await pgStore.createThread('w', 'bench');
    await prefill(pgStore, pgThread.id);
    await pgStore.indexPending(1_000_000);
    const floorThread = await pgStore.createThread('w', 'floor');
    await prefill(pgStore, floorThread.id);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const dir = mkdtempSync(join(tmpdir(), 'session-chat-pgbench-'));
    const sqlite = await SqliteHistoryStore.open(join(dir, 'sessions.db'));
    const sqliteThread = await sqlite.createThread('w', 'bench');
    await prefill(sqlite, sqliteThread.id);
    try {
      runs.push(await workload([floorSubject(client, floorThread.id), storeSubject('PgHistoryStore', pgStore, pgThread.id), storeSubject('SqliteHistoryStore', sqlite, sqliteThread.id)]));
      latency = latency.concat(await changeLatency(url));
    } finally {
      await client.end();
      await pgStore.close();
      await sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  console.log(`PostgreSQL ${PREFILL_TURNS}-turn thread, ${OPS} ops per operation and subject, ${RUNS} run(s)`);
  printTable(runs, NAMES, FLOOR);
  const sorted = [...latency].sort((a, b) => a - b);
  console.log(`change seen by a second store: median ${median(latency).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms over ${latency.length} appends (target <= 1000 ms)`);
} finally {
  await server.stop();
}
