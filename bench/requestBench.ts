// `node bench/requestBench.ts [--turns 5000] [--rounds 9]`: what one chat request costs before
// it is sent, on a 5,000-turn thread of 4-item tool turns (20,001 items with the question), in a
// real SQLite file opened through SqliteHistoryStore.
// - now: the panel's request plan (`HistoryReader` + `sendWindow`): newest items read in growing
//   slices and trimmed by whole turns to a 128,000-token window (also what the footer's meter
//   reads on every snapshot);
// - baseline: what a request did before (`historyLimit: 0`): `getItems(thread)`, the whole thread,
//   every item sent.
// Timings are medians; the two alternate within each round so load from other processes hits both.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { itemsTokens } from '../src/core/context/contextBudget.ts';
import { HistoryReader, sendWindow } from '../src/core/context/sendWindow.ts';
import { assistantItem, callOutputItem, modelCallItem, userItem } from '../src/core/model/items.ts';
import type { Item } from '../src/core/session/session.ts';
import { SqliteHistoryStore } from '../src/core/store/sqliteHistoryStore.ts';

const WINDOW = 128_000;
/** System prompt and four tool definitions, roughly. */
const FIXED_TOKENS = 600;
const TARGET_MS = 50;

function option(name: string, fallback: number): number {
  const at = process.argv.indexOf(name);
  const value = at === -1 ? fallback : Number(process.argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} wants a positive integer`);
  return value;
}

function toolTurn(index: number): Item[] {
  const call = modelCallItem(`call_${index}`, 'read_file', JSON.stringify({ path: `src/module${index}.ts` }));
  return [userItem(`Question ${index}: what does module ${index} do? ${'q'.repeat(120)}`), call, callOutputItem(call, 'x'.repeat(600)), assistantItem(`Answer ${index}: ${'a'.repeat(240)}`)];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

const turns = option('--turns', 5000);
const rounds = option('--rounds', 9);
const dir = mkdtempSync(join(tmpdir(), 'session-chat-request-bench-'));
const store = await SqliteHistoryStore.open(join(dir, 'sessions.db'));
try {
  const thread = (await store.createThread('file:///bench', 'big')).id;
  for (let start = 0; start < turns; start += 1000) {
    const batch: Item[] = [];
    for (let index = start; index < Math.min(turns, start + 1000); index++) batch.push(...toolTurn(index));
    await store.appendItems(thread, batch);
  }
  await store.appendItems(thread, [userItem('The newest question')]);

  const now: number[] = [];
  const before: number[] = [];
  let plan = { items: 0, tokens: 0, read: 0 };
  let whole = { items: 0, tokens: 0 };
  for (let round = 0; round < rounds; round++) {
    let started = performance.now();
    const reader = new HistoryReader((limit) => store.getItems(thread, limit), { historyLimit: 0, trim: true });
    const sent = await sendWindow(reader, await reader.first(), { window: WINDOW, fixedTokens: FIXED_TOKENS, trim: true });
    now.push(performance.now() - started);
    plan = { items: sent.items.length, tokens: sent.used, read: reader.itemsRead };
    started = performance.now();
    const all = await store.getItems(thread);
    before.push(performance.now() - started);
    whole = { items: all.length, tokens: itemsTokens(all) + FIXED_TOKENS };
  }
  const nowMs = median(now);
  const beforeMs = median(before);
  console.log(`requestBench: ${turns.toLocaleString('en-US')} turns, window ${WINDOW.toLocaleString('en-US')} tokens, ${rounds} rounds, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)}`);
  console.log('| what | items read | items sent | tokens sent (estimated) | median ms |');
  console.log('|---|---|---|---|---|');
  console.log(`| now: read newest slices, trim to the window | ${plan.read.toLocaleString('en-US')} | ${plan.items.toLocaleString('en-US')} | ${plan.tokens.toLocaleString('en-US')} | ${nowMs.toFixed(1)} |`);
  console.log(`| baseline: the whole thread (historyLimit 0) | ${whole.items.toLocaleString('en-US')} | ${whole.items.toLocaleString('en-US')} | ${whole.tokens.toLocaleString('en-US')} | ${beforeMs.toFixed(1)} |`);
  console.log(`${nowMs <= TARGET_MS ? 'PASS' : 'FAIL'}: planning a request takes ${nowMs.toFixed(1)} ms (target ≤ ${TARGET_MS} ms), and sends ${plan.tokens <= WINDOW ? 'within' : 'OVER'} the window`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
