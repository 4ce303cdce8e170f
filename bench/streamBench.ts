// What streaming a long answer costs the extension host: `node scripts/run.mjs bench/streamBench.ts [--runs 3]
// [--deltas 2000] [--delay-ms 5]`. The project's test model server (test/fixtures/serve.ts, its own process) streams
// an answer of `--deltas` deltas, one every `--delay-ms`, over real HTTP and SSE to the real `openai` client and
// runner (src/core/model); the host's forwarding (src/host/chat/deltaBatcher.ts) sends `chat/delta` messages to
// a stand-in webview in another process over an IPC channel (serialized, as VS Code's postMessage is). Two modes,
// run alternately: "per delta" (one message per delta, the host before batching) and "per frame" (the host now).
// Printed per mode (medians): this process's CPU time during the answer (process.cpuUsage: the host's side of
// the work, with the model server and the webview elsewhere), messages posted, wall time.
import { fork, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { OpenAiCompatibleSource } from '../src/core/model/openAiCompatibleSource.ts';
import { runTurn } from '../src/core/model/runner.ts';
import type { ModelSettings } from '../src/core/model/types.ts';
import { DeltaBatcher, FRAME_MS } from '../src/host/chat/deltaBatcher.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    deltas: { type: 'string', default: '2000' },
    'delay-ms': { type: 'string', default: '5' },
    webview: { type: 'boolean', default: false },
  },
});

/** What the stand-in webview reports when the answer is done. */
interface WebviewReport {
  messages: number;
  characters: number;
}

interface RunFigures {
  cpuMs: number;
  messages: number;
  wallMs: number;
  characters: number;
}

if (values.webview) standInWebview();
else await main();

/** The webview's side: counts the messages it receives and reports when `chat/done` arrives. */
function standInWebview(): void {
  let messages = 0;
  let characters = 0;
  process.on('message', (message: { type: string; delta?: string }) => {
    messages++;
    characters += message.delta?.length ?? 0;
    if (message.type === 'chat/done') {
      process.send?.({ messages, characters } satisfies WebviewReport);
      messages = 0;
      characters = 0;
    }
  });
}

async function main(): Promise<void> {
  // VS Code's extension host logs a PendingMigrationError when an extension reads `navigator`: count the reads.
  let navigatorReads = 0;
  Object.defineProperty(globalThis, 'navigator', { configurable: true, get: () => void navigatorReads++ });
  const runs = Number(values.runs);
  const deltas = Number(values.deltas);
  const repoRoot = path.resolve(import.meta.dirname, '..');
  const server = await startModelServer(repoRoot, Number(values['delay-ms']));
  const webview = fork(import.meta.filename, ['--webview'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  try {
    // The echo server answers "Echo: <text>" one word per delta: deltas - 1 words make `deltas` deltas.
    const question = Array.from({ length: deltas - 1 }, (_, i) => `word${i}`).join(' ');
    const settings: ModelSettings = { baseUrl: server.baseUrl, model: 'test-model', api: 'responses', maxAnswerChars: 1_000_000, maxAnswerMs: 600_000 };
    const modes = [
      { name: 'per delta (before)', frameMs: 0 },
      { name: `per frame, ${FRAME_MS} ms (after)`, frameMs: FRAME_MS },
    ];
    const figures = new Map<string, RunFigures[]>(modes.map((mode) => [mode.name, []]));
    await answer(settings, 'warm up', webview, 0); // the first request pays for connecting and JIT warm-up
    for (let run = 0; run < runs; run++) {
      for (const mode of modes) figures.get(mode.name)!.push(await answer(settings, question, webview, mode.frameMs));
    }
    console.log(`A ${deltas}-delta answer, one delta every ${values['delay-ms']} ms, ${runs} runs per mode (medians), Node ${process.version}:`);
    console.log(`${'mode'.padEnd(28)}${'host CPU'.padStart(12)}${'messages'.padStart(10)}${'wall'.padStart(10)}`);
    for (const [name, results] of figures) {
      const pick = (key: keyof RunFigures) => median(results.map((result) => result[key]));
      console.log(`${name.padEnd(28)}${`${(pick('cpuMs') / 1000).toFixed(2)} s`.padStart(12)}${String(pick('messages')).padStart(10)}${`${(pick('wallMs') / 1000).toFixed(1)} s`.padStart(10)}`);
      if (results.some((result) => result.characters !== results[0]!.characters)) throw new Error(`${name}: the webview received different texts across runs`);
    }
    console.log(`navigator reads by the model client and runner: ${navigatorReads}`);
  } finally {
    webview.kill();
    server.process.kill();
  }
}

/** Streams one answer through the runner and the host's forwarding; returns this process's cost. */
async function answer(settings: ModelSettings, question: string, webview: ChildProcess, frameMs: number): Promise<RunFigures> {
  const id = `bench-${Date.now()}`;
  const run = { text: '' };
  const report = new Promise<WebviewReport>((resolve) => webview.once('message', (message) => resolve(message as WebviewReport)));
  const started = performance.now();
  const cpu = process.cpuUsage();
  // What ChatTurns#forward does with each batch: keep the text for reloads, post it to the surface.
  const forward = new DeltaBatcher((delta) => {
    run.text += delta;
    webview.send({ type: 'chat/delta', id, delta });
  }, frameMs);
  const result = await runTurn({
    source: new OpenAiCompatibleSource(settings),
    history: [{ role: 'user', content: question }],
    settings,
    signal: new AbortController().signal,
    onDelta: (delta) => forward.push(delta),
  });
  forward.flush();
  webview.send({ type: 'chat/done', id, stopped: false });
  const used = process.cpuUsage(cpu);
  const wallMs = performance.now() - started;
  const received = await report;
  if (result.status !== 'completed') throw new Error(`the answer ${result.status}: ${JSON.stringify(result)}`);
  if (run.text !== result.text) throw new Error('the forwarded text differs from the answer');
  return { cpuMs: (used.user + used.system) / 1000, messages: received.messages, wallMs, characters: received.characters };
}

/** The test model server as a child process (its CPU is not this process's), on a free port. */
async function startModelServer(repoRoot: string, delayMs: number): Promise<{ baseUrl: string; process: ChildProcess }> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'test', 'fixtures', 'serve.ts'), '--port', '0', '--delta-delay-ms', String(delayMs)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('TEST_MODEL_SERVER_URL=')) resolve(line.slice('TEST_MODEL_SERVER_URL='.length).trim());
    });
    child.once('exit', (code) => reject(new Error(`the test model server exited (${code})`)));
  });
  return { baseUrl, process: child };
}

function median(numbers: number[]): number {
  return [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? Number.NaN;
}
