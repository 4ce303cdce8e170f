// Export and re-import of a whole history: `node bench/transferBench.ts [--threads 200] [--items 100000] [--driver better-sqlite3|node:sqlite]`.
// Fills a store with N threads holding M items in all (questions, tool calls, outputs, answers),
// exports every thread to one JSON file through writeExportFile (what Export All History does),
// then imports that file into an empty store through readImportSources + importThread (what
// Import History does), and imports it a second time (nothing new). Beside each: the floor, the
// same rows moved by bare SQL and JSON.stringify/parse with nothing in between. Memory: the peak
// growth of the process's RSS above where the step started, sampled every 20 ms.
// Targets (issue 11): export and import each <= 10 s, peak growth <= 100 MB.
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Item } from '../src/core/session/session.ts';
import { openDatabase } from '../src/core/session/sqliteDriver.ts';
import type { DriverName } from '../src/core/session/sqliteDriver.ts';
import { SqliteHistoryStore } from '../src/core/store/sqliteHistoryStore.ts';
import type { ThreadRecord } from '../src/core/transfer/threadRecord.ts';
import { writeExportFile } from '../src/core/transfer/exportFile.ts';
import { readImportSources } from '../src/core/transfer/importSources.ts';

const { values } = parseArgs({
  options: { threads: { type: 'string', default: '200' }, items: { type: 'string', default: '100000' }, driver: { type: 'string', default: 'better-sqlite3' } },
});
const threadCount = Number(values.threads);
const itemCount = Number(values.items);
const driver = values.driver as DriverName;

/** One turn of four items, about 1 KB, as the chat stores them. */
function turn(t: number, i: number): Item[] {
  const body = `Thread ${t} turn ${i}: ${'lorem ipsum dolor sit amet '.repeat(8)}`;
  return [
    { type: 'message', role: 'user', content: `question ${body}` },
    { type: 'function_call', callId: `c${t}-${i}`, name: 'read_file', arguments: JSON.stringify({ path: `src/file${i}.ts` }), status: 'completed' },
    { type: 'function_call_result', callId: `c${t}-${i}`, name: 'read_file', status: 'completed', output: { type: 'text', text: `contents ${body}` } },
    { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: `answer ${body}\n\n\`\`\`ts\nconst x = ${i};\n\`\`\`` }] },
  ] as Item[];
}

/** Runs `work`, returning its wall time and the peak RSS growth while it ran. */
async function measure<T>(work: () => Promise<T>): Promise<{ ms: number; peakMb: number; result: T }> {
  globalThis.gc?.();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { ms, peakMb: (peak - base) / 1e6, result };
}

const dir = mkdtempSync(join(tmpdir(), 'transfer-bench-'));
try {
  const source = await SqliteHistoryStore.open(join(dir, 'source.db'), { driver });
  const perThread = Math.max(1, Math.round(itemCount / threadCount / 4));
  for (let t = 0; t < threadCount; t++) {
    const thread = await source.createThread('file:///bench', `Thread ${t}`);
    const items: Item[] = [];
    for (let i = 0; i < perThread; i++) items.push(...turn(t, i));
    await source.appendItems(thread.id, items);
  }
  const ids = (await source.listThreads()).map((t) => t.id);
  const total = ids.length * perThread * 4;
  console.log(`${ids.length} threads, ${total.toLocaleString('en-US')} items, driver ${driver}`);

  const exportPath = join(dir, 'export.json');
  const exported = await measure(async () => {
    async function* records(): AsyncGenerator<ThreadRecord> {
      for (const id of ids) yield (await source.exportThread(id))!;
    }
    return writeExportFile(exportPath, records(), { scope: 'all', exportedAt: Date.now() });
  });
  await source.close();

  // The floor: every row read by one bare SELECT and written as one JSON array of texts.
  const floorExport = await measure(async () => {
    const { db } = openDatabase(join(dir, 'source.db'), { driver });
    const rows = db.prepareColumn('SELECT message_data FROM agent_messages ORDER BY id').all();
    writeFileSync(join(dir, 'floor.json'), JSON.stringify(rows.map((row) => JSON.parse(String(row)))));
    db.close();
  });

  const target = await SqliteHistoryStore.open(join(dir, 'target.db'), { driver });
  const importOnce = () =>
    measure(async () => {
      let threads = 0;
      let added = 0;
      for await (const event of readImportSources([exportPath])) {
        if (event.kind !== 'thread') throw new Error(`skipped: ${event.skipped.reason}`);
        const result = await target.importThread(event.record, 'file:///here');
        threads++;
        added += result.added;
      }
      return { threads, added };
    });
  const imported = await importOnce();
  const again = await importOnce();
  await target.close();

  // The floor: the floor file parsed whole and its rows inserted in one transaction.
  const floorImport = await measure(async () => {
    const { db } = openDatabase(join(dir, 'floor.db'), { driver });
    db.exec('CREATE TABLE agent_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT, message_data TEXT)');
    const rows = JSON.parse((await import('node:fs')).readFileSync(join(dir, 'floor.json'), 'utf8')) as unknown[];
    const insert = db.prepare('INSERT INTO agent_messages (session_id, message_data) VALUES (?, ?)');
    db.transaction(() => rows.forEach((row, i) => insert.run(`s${i % threadCount}`, JSON.stringify(row))));
    db.close();
  });

  const mb = (n: number) => `${n.toFixed(0)} MB`;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`file: ${(statSync(exportPath).size / 1e6).toFixed(1)} MB`);
  console.log('step             time     peak RSS growth   floor (bare SQL + JSON)');
  console.log(`export           ${s(exported.ms).padEnd(8)} ${mb(exported.peakMb).padEnd(17)} ${s(floorExport.ms)}, ${mb(floorExport.peakMb)}`);
  console.log(`import           ${s(imported.ms).padEnd(8)} ${mb(imported.peakMb).padEnd(17)} ${s(floorImport.ms)}, ${mb(floorImport.peakMb)}`);
  console.log(`import again     ${s(again.ms).padEnd(8)} ${mb(again.peakMb).padEnd(17)} (adds ${again.result.added} items)`);
  const ok = exported.ms <= 10_000 && imported.ms <= 10_000 && exported.peakMb <= 100 && imported.peakMb <= 100;
  console.log(`${ok ? 'PASS' : 'FAIL'}: export and import each <= 10 s with <= 100 MB peak growth (imported ${imported.result.threads} threads, ${imported.result.added} items)`);
  if (imported.result.added !== total || again.result.added !== 0) throw new Error('the import did not bring exactly the exported items');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
