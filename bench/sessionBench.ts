// `npm run bench`: the session store against its floor (raw better-sqlite3 running the same SQL
// and JSON work) and against a JSON file rewritten per message. Stores are measured in
// interleaved rounds so a noisy neighbour on the CPU hits all of them alike. Medians, per op.
// `--runs N` (default 5) repeats the whole workload on fresh files and prints the median of the runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Item } from '../src/core/session/session.ts';
import { jsonFileStore, rawFloorStore, sqliteSessionStore, threadStoreStore } from './benchStores.ts';
import type { BenchStore } from './benchStores.ts';
import { printTable } from './benchTable.ts';
import type { Results } from './benchTable.ts';

const PREFILL_TURNS = 5000;
const EARLY_TURNS = 500;
const OPS = 1000;
const READ_ALL = 20;
const ROUNDS = 10;
/** Each JSON-file write copies the whole history (megabytes), so it gets fewer ops per round. */
const JSON_OPS_PER_ROUND = 5;
const FLOOR = 'raw better-sqlite3';
const RUNS = runsArgument(process.argv.slice(2));

function runsArgument(args: string[]): number {
  const at = args.indexOf('--runs');
  if (at === -1) return 5;
  const runs = Number(args[at + 1]);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs wants a positive integer, got ${args[at + 1]}`);
  return runs;
}

/** A turn of ordinary size: question, tool call, tool output, answer (~1 KB together). */
function turn(i: number): Item[] {
  const callId = `call_${i}`;
  return [
    { type: 'message', role: 'user', content: `Question ${i}: why is this function slow on large inputs?` },
    { type: 'function_call', call_id: callId, name: 'read_file', arguments: JSON.stringify({ path: `src/file${i}.ts` }) },
    { type: 'function_call_output', call_id: callId, output: `export function f${i}(a, b) {\n${'  total += compute(a, b);\n'.repeat(10)}}` },
    { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: `It copies the buffer on every call. ${'Move the allocation out of the loop. '.repeat(6)}` }] },
  ];
}

async function timeOnce(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  const result = fn();
  if (result instanceof Promise) await result;
  return Number(process.hrtime.bigint() - start) / 1000;
}

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs `op` on every store in interleaved rounds; returns each store's median in µs. */
async function interleaved(stores: BenchStore[], total: number, op: (store: BenchStore) => unknown): Promise<Map<string, number>> {
  const times = new Map<string, number[]>(stores.map((s) => [s.name, []]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const store of stores) {
      const perRound = store.bulkLoad ? Math.min(JSON_OPS_PER_ROUND, total / ROUNDS) : total / ROUNDS;
      for (let i = 0; i < perRound; i++) times.get(store.name)!.push(await timeOnce(() => op(store)));
    }
  }
  return new Map([...times].map(([name, list]) => [name, median(list)]));
}

async function prefill(store: BenchStore, from: number, to: number): Promise<void> {
  if (store.bulkLoad) return store.bulkLoad(Array.from({ length: to - from }, (_, i) => turn(from + i)));
  for (let i = from; i < to; i++) await store.addTurn(turn(i));
}

async function run(stores: BenchStore[]): Promise<Results> {
  const next = new Map(stores.map((s) => [s.name, 0]));
  const addTurn = (store: BenchStore) => {
    const i = next.get(store.name)!;
    next.set(store.name, i + 1);
    return store.addTurn(turn(i));
  };
  const results: Results = new Map();
  const record = (key: string, medians: Map<string, number>) => results.set(key, medians);
  record(`add one turn (first ${EARLY_TURNS} turns)`, await interleaved(stores, EARLY_TURNS, addTurn));
  record(`get last 50 (at ~${EARLY_TURNS} turns)`, await interleaved(stores, OPS, (s) => s.getLast(50)));
  for (const store of stores) await prefill(store, next.get(store.name)!, PREFILL_TURNS);
  for (const store of stores) next.set(store.name, PREFILL_TURNS);
  record(`add one turn (at ${PREFILL_TURNS}+ turns)`, await interleaved(stores, OPS, addTurn));
  record(`get last 50 (at ${PREFILL_TURNS}+ turns)`, await interleaved(stores, OPS, (s) => s.getLast(50)));
  record('pop', await interleaved(stores, OPS, (s) => s.pop()));
  record(`read all (~${PREFILL_TURNS * 4} items)`, await interleaved(stores, READ_ALL, (s) => s.getAll()));
  return results;
}

/** One run of the workload on fresh files. */
async function runOnce(): Promise<{ results: Results; names: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'session-chat-bench-'));
  const stores = [
    rawFloorStore(join(dir, 'raw.db')),
    sqliteSessionStore(join(dir, 'session.db')),
    threadStoreStore(join(dir, 'threads.db')),
    sqliteSessionStore(join(dir, 'node-sqlite.db'), 'node:sqlite'),
    jsonFileStore(join(dir, 'history.json')),
  ];
  try {
    return { results: await run(stores), names: stores.map((s) => s.name) };
  } finally {
    for (const store of stores) store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const runs: Results[] = [];
  let names: string[] = [];
  for (let i = 0; i < RUNS; i++) {
    const once = await runOnce();
    runs.push(once.results);
    names = once.names;
    process.stderr.write(`run ${i + 1}/${RUNS} done\n`);
  }
  console.log(`Node ${process.version}; ${PREFILL_TURNS} turns x 4 items prefilled; files in ${tmpdir()}; medians over ${ROUNDS} interleaved rounds, then over ${RUNS} run(s)`);
  printTable(runs, names, FLOOR);
}

await main();
