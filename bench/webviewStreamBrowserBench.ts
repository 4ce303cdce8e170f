// What a streaming answer costs the webview, in a real browser: `node scripts/run.mjs
// bench/webviewStreamBrowserBench.ts [--deltas 2000] [--delay-ms 5] [--runs 3] [--src DIR]`. esbuild bundles the
// webview (`src/webview/main.ts`, or another tree's with `--src`) with its CSS; headless Chromium (Debian's, as
// the e2e suite uses) loads it in a 420x800 page with a stand-in `acquireVsCodeApi`. Inside the page a 20-turn
// snapshot arrives, then `--deltas` `chat/delta` messages one every `--delay-ms`, then `chat/done` and the
// snapshot with the stored answer, as the host sends them. A requestAnimationFrame probe records the gap between
// painted frames (layout and paint included): the longest gap, the 95th percentile and gaps over 50 ms.
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    deltas: { type: 'string', default: '2000' },
    'delay-ms': { type: 'string', default: '5' },
    src: { type: 'string', default: path.join(import.meta.dirname, '..', 'src') },
    chromium: { type: 'string', default: process.env.SESSION_CHAT_CHROMIUM ?? '/usr/bin/chromium' },
  },
});

const built = await esbuild.build({
  entryPoints: [path.join(path.resolve(values.src), 'webview', 'main.ts')],
  bundle: true,
  write: false,
  format: 'iife',
  platform: 'browser',
  outdir: '/bench-out',
  minify: true,
  loader: { '.ttf': 'empty' },
  logLevel: 'error',
});
const js = built.outputFiles.find((file) => file.path.endsWith('.js'))?.text ?? '';
const css = built.outputFiles.find((file) => file.path.endsWith('.css'))?.text ?? '';

/** Runs inside the page: the stream, as the host posts it, and the frame gaps it caused. */
function streamInPage({ deltaCount, delayMs }: { deltaCount: number; delayMs: number }): Promise<{ gaps: number[]; renderEndMs: number }> {
  const words = 'the parser reads each item from the stream and stores it in one transaction so that a crash never leaves half a turn behind'.split(' ');
  const deltas: string[] = [];
  for (let section = 1; deltas.length < deltaCount; section++) {
    deltas.push(`## Step ${section}\n\n`);
    for (let i = 0; i < 40; i++) deltas.push(`${words[(i + section) % words.length]}${i % 13 === 12 ? '.\n\n' : ' '}`);
    deltas.push('\n\n');
    for (let i = 0; i < 5; i++) deltas.push(`- item ${i} `, 'with **bold** ', 'and `code`\n');
    deltas.push('\n```ts\n');
    for (let i = 0; i < 12; i++) deltas.push(`const value${i} `, `= await read(${i});\n`);
    deltas.push('```\n\n');
  }
  deltas.length = deltaCount;
  const turns = Array.from({ length: 20 }, (_, index) => ({
    id: index * 2 + 1,
    entries: [
      { kind: 'user', text: `Question ${index}: how do I read a file?` },
      { kind: 'assistant', text: `Answer ${index}.\n\n\`\`\`js\nconst fs = require("fs");\nfs.readFileSync("a.txt", "utf8");\n\`\`\`\n\nThat is all.` },
    ],
  }));
  const snapshot = { thread: { id: 't1', title: 'Bench' }, turns, hasOlder: false, canUndo: true, canRedo: false, lastRowId: 40, model: 'bench', stream: { id: 's1', text: '' } };
  // This function runs in the page; the bench's own TypeScript project has no DOM types.
  const page = globalThis as unknown as { postMessage(message: unknown, target: string): void; requestAnimationFrame(callback: (now: number) => void): number };
  const requestAnimationFrame = (callback: (now: number) => void) => page.requestAnimationFrame(callback);
  const post = (message: unknown) => page.postMessage(message, '*');
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  return (async () => {
    post({ type: 'thread/snapshot', snapshot });
    await sleep(200);
    const gaps: number[] = [];
    let probing = true;
    let last = performance.now();
    const probe = (now: number) => {
      gaps.push(now - last);
      last = now;
      if (probing) requestAnimationFrame(probe);
    };
    requestAnimationFrame(probe);
    for (const delta of deltas) {
      post({ type: 'chat/delta', id: 's1', delta });
      await sleep(delayMs);
    }
    await sleep(50);
    post({ type: 'chat/done', id: 's1', stopped: false });
    const answer = { id: 41, entries: [{ kind: 'user', text: 'Explain it' }, { kind: 'assistant', text: deltas.join('') }] };
    post({ type: 'thread/snapshot', snapshot: { ...snapshot, turns: [...turns, answer], lastRowId: 42, stream: undefined } });
    await sleep(300);
    probing = false;
    return { gaps: gaps.slice(1), renderEndMs: performance.now() };
  })();
}

const browser = await chromium.launch({ executablePath: values.chromium, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
try {
  console.log(`webview streaming in Chromium: ${values.deltas} deltas every ${values['delay-ms']} ms, webview from ${path.relative(process.cwd(), path.resolve(values.src)) || '.'}`);
  console.log('run | frames | longest frame gap | p95 gap | gaps > 50 ms');
  for (let run = 1; run <= Number(values.runs); run++) {
    const page = await browser.newPage({ viewport: { width: 420, height: 800 } });
    await page.setContent(`<!doctype html><html><head><style>${css}</style></head><body><div id="app"></div></body></html>`);
    await page.evaluate(() => {
      (globalThis as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({ postMessage() {}, getState() {}, setState() {} });
    });
    await page.addScriptTag({ content: js });
    const { gaps } = await page.evaluate(streamInPage, { deltaCount: Number(values.deltas), delayMs: Number(values['delay-ms']) });
    const sorted = [...gaps].sort((a, b) => a - b);
    const ms = (value: number | undefined) => `${(value ?? 0).toFixed(1)} ms`;
    console.log(`${run} | ${sorted.length} | ${ms(sorted.at(-1))} | ${ms(sorted[Math.floor(sorted.length * 0.95)])} | ${sorted.filter((gap) => gap > 50).length}`);
    await page.close();
  }
} finally {
  await browser.close();
}
