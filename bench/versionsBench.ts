// `node bench/versionsBench.ts [--driver better-sqlite3|node:sqlite|both] [--turns 5000] [--rounds 9]
//   [--inline] [--worker-rows N]`: switching versions of a turn in a long thread, through
// SqliteHistoryStore on a real file. A thread of `--turns` turns of 4 items (user message,
// function_call, function_call_output, assistant message; about 1 KB a turn, as sessionBench) with
// the search index caught up. The question of turn 10, and of turn `turns - 10`, is edited and
// answered (4 items); then the turn is switched back and forth: to the original version (the whole
// rest of the thread comes back) and to the edited one. A switch of LARGE_SWITCH_ROWS rows or more
// runs in the store's switch worker (`--inline`: none does; `--worker-rows 1`: every one does), so
// each call is measured twice: wall time, and host time, what it costs the calling thread (the
// event loop's active time during the call, `performance.eventLoopUtilization`, which includes the
// 1 ms ticker that finds the longest stretch the loop was blocked, also printed). The target is on
// host time. Beside it, the baseline: the same suffix deleted and re-inserted row by row on a
// connection of its own (what a store without a version table would do, on the host's thread).
// Between rounds the search index catches up with the rows a switch brought back (background work
// in the extension, not timed). Storage: the bytes of the hidden version beside the raw bytes of
// the suffix it replaced and of the history before it.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Item } from '../src/core/session/session.ts';
import { openDatabase } from '../src/core/session/sqliteDriver.ts';
import type { Database, DriverName } from '../src/core/session/sqliteDriver.ts';
import { LARGE_SWITCH_ROWS, SqliteHistoryStore } from '../src/core/store/sqliteHistoryStore.ts';

const TARGET_MS = 20;
const BATCH_TURNS = 1000;

interface Options {
  /** `--inline`: every switch on the host's thread, as before the worker. */
  inline: boolean;
  /** `--worker-rows N`: the store's `largeSwitchRows` (default LARGE_SWITCH_ROWS); 1 sends every switch to the worker. */
  workerRows: number;
  drivers: DriverName[];
  turns: number;
  rounds: number;
}

function parseOptions(args: string[]): Options {
  const value = (name: string): string | undefined => {
    const at = args.indexOf(name);
    return at === -1 ? undefined : args[at + 1];
  };
  const driver = value('--driver') ?? 'both';
  const drivers: DriverName[] = driver === 'both' ? ['better-sqlite3', 'node:sqlite'] : [driver as DriverName];
  const turns = Number(value('--turns') ?? 5000);
  const rounds = Number(value('--rounds') ?? 9);
  if (!Number.isInteger(turns) || turns < 30) throw new Error('--turns wants an integer of at least 30');
  const workerRows = Number(value('--worker-rows') ?? LARGE_SWITCH_ROWS);
  if (!Number.isInteger(workerRows) || workerRows < 1) throw new Error('--worker-rows wants a positive integer');
  return { drivers, turns, rounds, inline: args.includes('--inline'), workerRows };
}

function turn(i: number): Item[] {
  const call = `call_${i}`;
  return [
    { type: 'message', role: 'user', content: `Question ${i}: how does the parser handle ${'nested '.repeat(6)}blocks in file${i}.ts?` },
    { type: 'function_call', call_id: call, name: 'read_file', arguments: JSON.stringify({ path: `src/file${i}.ts` }) },
    { type: 'function_call_output', call_id: call, output: `export function parse${i}(input: string) {\n${'  // ...\n'.repeat(20)}}` },
    {
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: `Answer ${i}: ${'The parser walks the tokens and keeps a stack of open blocks. '.repeat(5)}` }],
    },
  ] as Item[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function timed<T>(fn: () => Promise<T> | T): Promise<[number, T]> {
  const start = performance.now();
  const result = await fn();
  return [performance.now() - start, result];
}

/** One awaited call: its wall time, the host thread's busy time during it, and its longest busy stretch. */
interface HostTimes {
  wall: number;
  host: number;
  longest: number;
}

/**
 * Runs `fn` and measures what it costs the calling (host) thread: `host` is the event loop's active
 * time during the call (`performance.eventLoopUtilization`: everything but waiting in the loop),
 * `longest` the longest stretch without a turn of the loop, seen by a 1 ms interval.
 */
async function hostTimed<T>(fn: () => Promise<T>): Promise<[HostTimes, T]> {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 1);
  try {
    const elu = performance.eventLoopUtilization();
    const start = performance.now();
    last = start;
    const result = await fn();
    const end = performance.now();
    const { active } = performance.eventLoopUtilization(elu);
    longest = Math.max(longest, end - last);
    return [{ wall: end - start, host: active, longest }, result];
  } finally {
    clearInterval(ticker);
  }
}

/** The baseline: the thread's rows after `anchor` read, deleted and inserted again, one transaction. */
function deleteAndReinsert(db: Database, threadId: string, anchor: number): void {
  db.transaction(() => {
    const rows = db.prepare('SELECT message_data AS data FROM agent_messages WHERE session_id = ? AND id > ? ORDER BY id').all(threadId, anchor);
    db.prepare('DELETE FROM agent_messages WHERE session_id = ? AND id > ?').run(threadId, anchor);
    const insert = db.prepare('INSERT INTO agent_messages (session_id, message_data) VALUES (?, ?)');
    for (const row of rows) insert.run(threadId, row.data as string);
  });
}

interface Figures {
  label: string;
  toOriginal: HostTimes;
  toEdited: HostTimes;
  /** The first switch of the turn: at turn 10 it starts the worker. */
  first: HostTimes;
  baseline: number;
  originalRows: number;
}

const medianTimes = (values: HostTimes[]): HostTimes => ({
  wall: median(values.map((v) => v.wall)),
  host: median(values.map((v) => v.host)),
  longest: median(values.map((v) => v.longest)),
});

async function benchTurn(store: SqliteHistoryStore, raw: Database, threadId: string, baselineId: string, turnIndex: number, rounds: number): Promise<Figures> {
  const view = await store.readView(threadId, 1);
  const turnId = Number(raw.prepare('SELECT id FROM agent_messages WHERE session_id = ? ORDER BY id LIMIT 1 OFFSET ?').get(threadId, turnIndex * 4)!.id);
  const anchor = Number(raw.prepare('SELECT max(id) AS id FROM agent_messages WHERE session_id = ? AND id < ?').get(threadId, turnId)!.id ?? 0);
  const originalRows = Number(raw.prepare('SELECT count(*) AS n FROM agent_messages WHERE session_id = ? AND id > ?').get(threadId, anchor)!.n);
  const edited = await store.editQuestion(threadId, turnId, `Question ${turnIndex}, edited`, view.lastRowId);
  if (edited.status !== 'done') throw new Error('the edit was refused');
  await store.appendItems(threadId, turn(turnIndex).slice(1));
  await store.indexPending(Number.MAX_SAFE_INTEGER);
  const toOriginal: HostTimes[] = [];
  const toEdited: HostTimes[] = [];
  let first: HostTimes | undefined;
  const baseline: number[] = [];
  let shownTurn = edited.questionRowId;
  for (let round = 0; round < rounds; round++) {
    for (const [target, times] of [['previous', toOriginal], ['next', toEdited]] as const) {
      const end = (await store.readView(threadId, 1)).lastRowId;
      const [ms, result] = await hostTimed(() => store.switchVersion(threadId, shownTurn, target, end));
      if (result.status !== 'done') throw new Error(`the switch was refused: ${JSON.stringify(result)}`);
      first ??= ms;
      times.push(ms);
      shownTurn = result.turnId;
      await store.indexPending(Number.MAX_SAFE_INTEGER);
    }
  }
  // The baseline after the store's rounds, not between them: a write on another connection
  // empties the store connection's page cache, and its next delete then pays for reading the
  // pages again (tens of ms on a large file), which is the bench's doing, not the switch's.
  // It runs on a copy of the thread, so the store's own versions stay untouched: the original
  // suffix after the same turn (the big one at turn 10) deleted and re-inserted.
  const baselineTurn = Number(raw.prepare('SELECT id FROM agent_messages WHERE session_id = ? ORDER BY id LIMIT 1 OFFSET ?').get(baselineId, turnIndex * 4)!.id);
  for (let round = 0; round < rounds; round++) {
    const [rawMs] = await timed(() => deleteAndReinsert(raw, baselineId, baselineTurn - 1));
    baseline.push(rawMs);
  }
  return { label: `turn ${turnIndex + 1}`, toOriginal: medianTimes(toOriginal), toEdited: medianTimes(toEdited), first: first!, baseline: median(baseline), originalRows };
}

function storage(raw: Database, threadId: string): { version: number; suffix: number; before: number } {
  const hidden = raw.prepare('SELECT anchor_row_id AS anchor, length(CAST(rows AS BLOB)) AS n FROM session_chat_versions WHERE thread_id = ? AND rows IS NOT NULL ORDER BY anchor_row_id DESC LIMIT 1').get(threadId)!;
  const bytes = (sql: string) => Number(raw.prepare(sql).get(threadId, Number(hidden.anchor))!.n ?? 0);
  // The version shown at that turn now is the edited one; the hidden one is the original suffix,
  // whose raw size is the original turns' bytes: measured from its own JSON array.
  const rows = JSON.parse(String(raw.prepare('SELECT rows FROM session_chat_versions WHERE thread_id = ? AND anchor_row_id = ? AND rows IS NOT NULL').get(threadId, Number(hidden.anchor))!.rows)) as string[];
  return {
    version: Number(hidden.n),
    suffix: rows.reduce((sum, row) => sum + Buffer.byteLength(row), 0),
    before: bytes('SELECT sum(length(CAST(message_data AS BLOB))) AS n FROM agent_messages WHERE session_id = ? AND id <= ?'),
  };
}

async function benchDriver(driver: DriverName, options: Options): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'versions-bench-'));
  try {
    const file = join(dir, 'sessions.db');
    const store = await SqliteHistoryStore.open(file, { driver, largeSwitchRows: options.workerRows, ...(options.inline ? { switchWorkerPath: false as const } : {}) });
    const { db: raw } = openDatabase(file, { driver });
    try {
      const thread = await store.createThread('file:///bench');
      const copy = await store.createThread('file:///bench', 'baseline');
      for (const id of [thread.id, copy.id]) {
        for (let from = 0; from < options.turns; from += BATCH_TURNS) {
          const items: Item[] = [];
          for (let i = from; i < Math.min(options.turns, from + BATCH_TURNS); i++) items.push(...turn(i));
          await store.appendItems(id, items);
        }
      }
      await store.indexPending(Number.MAX_SAFE_INTEGER);
      // The late turn first: the early edit would otherwise hide it.
      const late = await benchTurn(store, raw, thread.id, copy.id, options.turns - 11, options.rounds);
      const space = storage(raw, thread.id);
      const early = await benchTurn(store, raw, thread.id, copy.id, 9, options.rounds);
      let ok = true;
      const mode = options.inline ? 'every switch on the host thread (--inline)' : `switches of ${options.workerRows}+ rows in the worker`;
      console.log(`\n${driver}: a ${options.turns}-turn thread (${options.turns * 4} rows), medians of ${options.rounds} switches each way; ${mode}`);
      console.log('| switch at | rows of the original suffix | runs in | to the original: host (longest block) / wall | to the edited: host (longest block) / wall | first switch: host (longest block) / wall | baseline: delete + re-insert (host = wall) | target (host) | result |');
      console.log('|---|---:|---|---:|---:|---:|---:|---:|---|');
      const f2 = (t: HostTimes) => `${t.host.toFixed(2)} ms (${t.longest.toFixed(1)}) / ${t.wall.toFixed(1)} ms`;
      for (const f of [early, late]) {
        const pass = f.toOriginal.host <= TARGET_MS && f.toEdited.host <= TARGET_MS;
        ok &&= pass;
        const where = !options.inline && f.originalRows >= options.workerRows && store.switchWorkerProblem === undefined ? 'worker' : 'host';
        console.log(
          `| ${f.label} | ${f.originalRows} | ${where} | ${f2(f.toOriginal)} | ${f2(f.toEdited)} | ${f2(f.first)} | ${f.baseline.toFixed(2)} ms | ≤ ${TARGET_MS} ms | ${pass ? 'PASS' : 'MISS'} |`,
        );
      }
      if (store.switchWorkerProblem) console.log(`(no worker: ${store.switchWorkerProblem})`);
      const spacePass = space.version <= space.suffix * 1.05 + 1024;
      ok &&= spacePass;
      console.log(
        `storage of the version at ${late.label}: ${space.version} bytes for a suffix of ${space.suffix} bytes ` +
          `(${(space.version - space.suffix).toString()} bytes of JSON quoting); the history before it: ${space.before} bytes, not copied → ${spacePass ? 'PASS' : 'MISS'}`,
      );
      return ok;
    } finally {
      raw.close();
      await store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const options = parseOptions(process.argv.slice(2));
// Every store call resolves at once when nothing is locked, so without this the whole run could be
// one turn of an event loop that never started, and eventLoopUtilization reads 0 until it does.
await new Promise((resolve) => setTimeout(resolve, 1));
console.log(`Node ${process.version}, ${cpus().length} cores, load ${loadavg().map((n) => n.toFixed(1)).join(' ')}`);
let all = true;
for (const driver of options.drivers) all = (await benchDriver(driver, options)) && all;
console.log(all ? '\nPASS' : '\nMISS');
