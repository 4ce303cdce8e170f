// `npm run bench` (second part), i.e. `node bench/pageBench.ts [--driver better-sqlite3|node:sqlite|both]
// [--sizes 50,5000,50000] [--threads 1000]`: what the panel reads, on a real SQLite file opened
// through SqliteHistoryStore, beside the whole-thread reads the code did before paging.
// 1. The snapshot: `readView(thread, PAGE_SIZE)` + `buildSnapshot` (what ChatController.snapshot()
//    reads), against `itemsToTurns(getItems(thread))` keeping the newest 30 turns (the old
//    buildSnapshot, on every send, undo and switch).
// 2. Undo, and Redo, of the newest turn, each with the snapshot after it, against the same
//    undo/redo followed by the whole-thread snapshot.
// 3. The Switch Thread pick: `listThreads(key)` + `previews(ids)` over 1,000 threads, against
//    `listThreads(key)` + one `getItems(id)` per thread scanned from the end for the newest message.
// Timings are medians; the new and the baseline operation alternate within each round so load
// from other processes hits both alike.
import { deepStrictEqual } from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Item } from '../src/core/session/session.ts';
import type { DriverName } from '../src/core/session/sqliteDriver.ts';
import { SqliteHistoryStore } from '../src/core/store/sqliteHistoryStore.ts';
import { messageText, oneLine } from '../src/core/threads/itemText.ts';
import { itemsToTurns } from '../src/core/view/itemsToTurns.ts';
import { PAGE_SIZE } from '../src/core/view/paging.ts';
import { buildSnapshot } from '../src/host/chat/snapshot.ts';
import type { ViewTurn } from '../src/shared/protocol.ts';

const BIG_WORKSPACE = 'file:///bench/big';
const LIST_WORKSPACE = 'file:///bench/list';
/** Turns in each thread of the thread list. */
const LIST_THREAD_TURNS = 20;
/** Items per appendItems call while building. */
const BATCH_ITEMS = 5000;
/** Rounds for whole-thread work (slow on big threads); the paged work repeats within each round. */
const ROUNDS = 7;
const FAST_PER_ROUND = 15;
/** The preview length the store cuts at (ThreadStore's PREVIEW_LENGTH). */
const PREVIEW_LENGTH = 80;
const TARGET_SNAPSHOT_MS = 5;
const TARGET_SNAPSHOT_RATIO = 2;
const TARGET_LIST_MS = 20;

interface Options {
  drivers: DriverName[];
  sizes: number[];
  threads: number;
}

function parseOptions(args: string[]): Options {
  const value = (name: string): string | undefined => {
    const at = args.indexOf(name);
    return at === -1 ? undefined : args[at + 1];
  };
  const driver = value('--driver') ?? 'both';
  const drivers: DriverName[] =
    driver === 'both' ? ['better-sqlite3', 'node:sqlite'] : driver === 'better-sqlite3' || driver === 'node:sqlite' ? [driver] : [];
  if (drivers.length === 0) throw new Error(`--driver wants better-sqlite3, node:sqlite or both, got ${driver}`);
  const sizes = (value('--sizes') ?? '50,5000,50000').split(',').map(Number);
  if (sizes.some((n) => !Number.isInteger(n) || n < 2)) throw new Error('--sizes wants a comma-separated list of turn counts (at least 2)');
  const threads = Number(value('--threads') ?? 1000);
  if (!Number.isInteger(threads) || threads < 1) throw new Error('--threads wants a positive integer');
  return { drivers, sizes, threads };
}

/** A turn: a question and an answer of a few hundred characters; every tenth turn calls a tool first. */
function turn(i: number): Item[] {
  const items: Item[] = [{ type: 'message', role: 'user', content: `Question ${i}: how do I make the import of large CSV files faster without loading them whole?` }];
  if (i % 10 === 9) {
    const callId = `call_${i}`;
    items.push(
      { type: 'function_call', call_id: callId, name: 'read_file', arguments: JSON.stringify({ path: `src/import${i}.ts` }) },
      { type: 'function_call_output', call_id: callId, output: `export async function importCsv${i}(path) {\n${'  rows.push(parse(line));\n'.repeat(8)}}` },
    );
  }
  items.push({
    type: 'message',
    role: 'assistant',
    status: 'completed',
    content: [{ type: 'output_text', text: `Answer ${i}: stream the file instead of reading it at once. ${'Parse each line as it arrives and write rows in batches. '.repeat(5)}` }],
  });
  return items;
}

async function fill(store: SqliteHistoryStore, threadId: string, turns: number): Promise<void> {
  let batch: Item[] = [];
  for (let i = 0; i < turns; i++) {
    batch.push(...turn(i));
    if (batch.length >= BATCH_ITEMS || i === turns - 1) {
      await store.appendItems(threadId, batch);
      batch = [];
    }
  }
}

interface Fixture {
  /** Thread id by turn count. */
  big: Map<number, string>;
  rows: number;
}

/** One file: a thread per size in one workspace, `threads` threads of 20 turns in another. */
async function build(file: string, options: Options): Promise<Fixture> {
  const store = await SqliteHistoryStore.open(file, { driver: 'better-sqlite3' });
  try {
    const big = new Map<number, string>();
    let rows = 0;
    for (const size of options.sizes) {
      const thread = await store.createThread(BIG_WORKSPACE, `${size} turns`);
      await fill(store, thread.id, size);
      big.set(size, thread.id);
    }
    for (let t = 0; t < options.threads; t++) {
      const thread = await store.createThread(LIST_WORKSPACE, `Thread ${t}`);
      await fill(store, thread.id, LIST_THREAD_TURNS);
    }
    for (const size of options.sizes) rows += itemCount(size);
    return { big, rows };
  } finally {
    await store.close();
  }
}

// ---- the operations -------------------------------------------------------------------------

/** What ChatController.snapshot() reads and builds. */
async function pagedSnapshot(store: SqliteHistoryStore, threadId: string): Promise<ViewTurn[]> {
  return buildSnapshot(threadId, await store.readView(threadId, PAGE_SIZE), { model: 'bench' }).turns;
}

/** The old snapshot: every item of the thread into turns, then the newest page of them. */
async function wholeThreadSnapshot(store: SqliteHistoryStore, threadId: string): Promise<ViewTurn[]> {
  return itemsToTurns(await store.getItems(threadId)).slice(-PAGE_SIZE);
}

async function undo(store: SqliteHistoryStore, threadId: string): Promise<void> {
  const result = await store.undoTurn(threadId);
  if (result.status !== 'done' || result.kind !== 'turnRemoved') throw new Error(`Undo did ${JSON.stringify(result)}`);
}

async function redo(store: SqliteHistoryStore, threadId: string): Promise<void> {
  const result = await store.redoTurn(threadId);
  if (result.status !== 'done' || result.kind !== 'turnRestored') throw new Error(`Redo did ${JSON.stringify(result)}`);
}

async function pagedList(store: SqliteHistoryStore): Promise<Map<string, string>> {
  const threads = await store.listThreads(LIST_WORKSPACE);
  return store.previews(threads.map((thread) => thread.id));
}

/** The baseline list: every thread's items read whole, scanned from the end for a message with text. */
async function wholeThreadList(store: SqliteHistoryStore): Promise<Map<string, string>> {
  const threads = await store.listThreads(LIST_WORKSPACE);
  const previews = new Map<string, string>();
  for (const thread of threads) {
    const items = await store.getItems(thread.id);
    let preview = '';
    for (let i = items.length - 1; i >= 0 && preview === ''; i--) {
      const item = items[i]!;
      if (item.role === 'user' || item.role === 'assistant') preview = oneLine(messageText(item), PREVIEW_LENGTH);
    }
    previews.set(thread.id, preview);
  }
  return previews;
}

// ---- timing ---------------------------------------------------------------------------------

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/**
 * Medians of each operation over ROUNDS rounds. A round makes FAST_PER_ROUND passes over the ops
 * in their order; a slow op runs in the first pass only. So ops alternate (an undo is followed by
 * its redo) and every op sees the same load.
 */
async function measure(ops: { name: string; slow: boolean; run: () => Promise<unknown> }[]): Promise<Map<string, { ms: number; n: number }>> {
  const times = new Map<string, number[]>(ops.map((op) => [op.name, []]));
  for (const op of ops) await op.run(); // warm-up: statements prepared, pages cached
  for (let round = 0; round < ROUNDS; round++) {
    for (let pass = 0; pass < FAST_PER_ROUND; pass++) {
      for (const op of ops) if (pass === 0 || !op.slow) times.get(op.name)!.push(await time(op.run));
    }
  }
  return new Map([...times].map(([name, list]) => [name, { ms: median(list), n: list.length }]));
}

interface Row {
  label: string;
  paged: { ms: number; n: number };
  whole: { ms: number; n: number };
}

function fmt(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : ms >= 10 ? `${ms.toFixed(1)} ms` : `${ms.toFixed(2)} ms`;
}

function printRows(title: string, rows: Row[]): void {
  console.log(`\n${title}`);
  console.log(`${'operation'.padEnd(44)}${'paged (now)'.padStart(14)}${'whole thread'.padStart(16)}${'speed-up'.padStart(11)}`);
  for (const row of rows) {
    console.log(
      `${row.label.padEnd(44)}${fmt(row.paged.ms).padStart(14)}${fmt(row.whole.ms).padStart(16)}${`${(row.whole.ms / row.paged.ms).toFixed(1)}x`.padStart(11)}`,
    );
  }
}

function verdict(pass: boolean, text: string): string {
  return `${pass ? 'PASS' : 'MISS'}  ${text}`;
}

// ---- the run --------------------------------------------------------------------------------

async function runDriver(file: string, driver: DriverName, fixture: Fixture, options: Options): Promise<string[]> {
  const store = await SqliteHistoryStore.open(file, { driver });
  const verdicts: string[] = [];
  try {
    const snapshots: Row[] = [];
    const edits: Row[] = [];
    const snapshotMs = new Map<number, number>();
    for (const [size, id] of fixture.big) {
      // Same turns either way (ids differ: row ids now, positions before; entries carry row ids now).
      const withoutRowIds = (turns: ViewTurn[]) => turns.map((t) => t.entries.map(({ rowId: _rowId, outputRowId: _outputRowId, ...entry }: Record<string, unknown>) => entry));
      deepStrictEqual(withoutRowIds(await pagedSnapshot(store, id)), withoutRowIds(await wholeThreadSnapshot(store, id)));
      const m = await measure([
        { name: 'paged', slow: false, run: () => pagedSnapshot(store, id) },
        { name: 'whole', slow: true, run: () => wholeThreadSnapshot(store, id) },
        // Undo and Redo alternate, so the thread is back to `size` turns after each pair.
        { name: 'undo paged', slow: false, run: async () => (await undo(store, id), pagedSnapshot(store, id)) },
        { name: 'redo paged', slow: false, run: async () => (await redo(store, id), pagedSnapshot(store, id)) },
        { name: 'undo whole', slow: true, run: async () => (await undo(store, id), wholeThreadSnapshot(store, id)) },
        { name: 'redo whole', slow: true, run: async () => (await redo(store, id), wholeThreadSnapshot(store, id)) },
      ]);
      const label = `${size.toLocaleString('en-US')} turns`;
      snapshots.push({ label: `snapshot, ${label}`, paged: m.get('paged')!, whole: m.get('whole')! });
      edits.push({ label: `undo + snapshot, ${label}`, paged: m.get('undo paged')!, whole: m.get('undo whole')! });
      edits.push({ label: `redo + snapshot, ${label}`, paged: m.get('redo paged')!, whole: m.get('redo whole')! });
      snapshotMs.set(size, m.get('paged')!.ms);
      if ((await store.getItems(id)).length !== itemCount(size)) throw new Error('Undo/redo left the thread changed');
    }
    deepStrictEqual(await pagedList(store), await wholeThreadList(store));
    const ids = (await store.listThreads(LIST_WORKSPACE)).map((t) => t.id);
    const list = await measure([
      { name: 'paged', slow: false, run: () => pagedList(store) },
      { name: 'whole', slow: true, run: () => wholeThreadList(store) },
      { name: 'listThreads', slow: false, run: () => store.listThreads(LIST_WORKSPACE) },
      { name: 'previews', slow: false, run: () => store.previews(ids) },
    ]);

    console.log(`\n=== ${driver} ===`);
    printRows(`Snapshot (readView(thread, ${PAGE_SIZE}) + buildSnapshot vs itemsToTurns(getItems(thread)).slice(-${PAGE_SIZE}))`, snapshots);
    printRows('Undo / Redo of the newest turn, with the snapshot after it', edits);
    printRows(`Switch Thread list, ${options.threads.toLocaleString('en-US')} threads of ${LIST_THREAD_TURNS} turns`, [
      { label: 'listThreads(key) + previews(ids)', paged: list.get('paged')!, whole: list.get('whole')! },
    ]);
    console.log(`  of which listThreads(key) alone: ${fmt(list.get('listThreads')!.ms)}, previews(ids) alone: ${fmt(list.get('previews')!.ms)}`);

    const smallest = Math.min(...fixture.big.keys());
    const largest = Math.max(...fixture.big.keys());
    const small = snapshotMs.get(smallest)!;
    const large = snapshotMs.get(largest)!;
    const listMs = list.get('paged')!.ms;
    verdicts.push(
      verdict(
        large <= TARGET_SNAPSHOT_RATIO * small && large < TARGET_SNAPSHOT_MS,
        `${driver}: ${largest.toLocaleString('en-US')}-turn snapshot ${fmt(large)} = ${(large / small).toFixed(2)}x the ${smallest}-turn one (${fmt(small)}); target within ${TARGET_SNAPSHOT_RATIO}x and under ${TARGET_SNAPSHOT_MS} ms`,
      ),
      verdict(listMs < TARGET_LIST_MS, `${driver}: ${options.threads.toLocaleString('en-US')}-thread list ${fmt(listMs)}; target under ${TARGET_LIST_MS} ms`),
    );
    return verdicts;
  } finally {
    await store.close();
  }
}

/** Items in a thread of `turns` turns built by {@link turn}. */
function itemCount(turns: number): number {
  let count = 0;
  for (let i = 0; i < turns; i++) count += turn(i).length;
  return count;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const dir = mkdtempSync(join(tmpdir(), 'session-chat-page-bench-'));
  try {
    const file = join(dir, 'sessions.db');
    const started = Date.now();
    const fixture = await build(file, options);
    const built = (Date.now() - started) / 1000;
    console.log(
      `Node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}; file in ${tmpdir()}; ` +
        `threads of ${options.sizes.join(' / ')} turns (${fixture.rows.toLocaleString('en-US')} rows) + ${options.threads} threads of ${LIST_THREAD_TURNS} turns, built in ${built.toFixed(1)} s. ` +
        `Medians of ${ROUNDS} (whole thread) / ${ROUNDS * FAST_PER_ROUND} (paged) runs.`,
    );
    const verdicts: string[] = [];
    for (const driver of options.drivers) verdicts.push(...(await runDriver(file, driver, fixture, options)));
    console.log(`\nTargets\n${verdicts.join('\n')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
