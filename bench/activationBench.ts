// How much activating Session Chat costs before the user does anything: `node scripts/run.mjs bench/activationBench.ts
// [--bundle dist/extension.js] [--runs 15]`. Each run is a fresh Node process (a cold module cache, as in a new
// extension host) that loads the bundle with a stand-in `vscode` module and calls `activate()`. It prints the
// bundle's size, the time to load it, the time inside `activate()`, which modules were loaded, and whether
// anything read the `navigator` global (VS Code's extension host logs a PendingMigrationError when something does).
// The stand-in is no VS Code: it answers every API call with a no-op, so the figures are the bundle's own cost.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';

interface RunFigures {
  loadMs: number;
  activateMs: number;
  /** Time for `ready()` (loading the chat: database, model client, schemas) when the bundle has it. */
  readyMs: number | undefined;
  navigatorReads: number;
  navigatorReadsAfterReady: number;
  loadedModules: string[];
  errors: string[];
}

const { values } = parseArgs({
  options: {
    bundle: { type: 'string', default: 'dist/extension.js' },
    runs: { type: 'string', default: '15' },
    child: { type: 'boolean', default: false },
  },
});
const bundle = path.resolve(values.bundle);

if (values.child) await measureOnce();
else measureAll();

function measureAll(): void {
  const runs = Number(values.runs);
  const results: RunFigures[] = [];
  for (let i = 0; i < runs; i++) {
    const child = spawnSync(process.execPath, [import.meta.filename, '--child', '--bundle', bundle], { encoding: 'utf8' });
    if (child.status !== 0) throw new Error(`run ${i} failed:\n${child.stderr}`);
    results.push(JSON.parse(child.stdout.trim().split('\n').at(-1) ?? '') as RunFigures);
  }
  const median = (numbers: number[]): number => [...numbers].sort((a, b) => a - b)[Math.floor(numbers.length / 2)] ?? NaN;
  const size = statSync(bundle).size;
  const first = results[0]!;
  console.log(`bundle              ${path.relative(process.cwd(), bundle)}: ${size.toLocaleString('en-US')} bytes (${gzipSync(readFileSync(bundle)).length.toLocaleString('en-US')} gzipped)`);
  console.log(`load (require)      ${median(results.map((r) => r.loadMs)).toFixed(1)} ms median of ${runs} cold processes`);
  console.log(`activate()          ${median(results.map((r) => r.activateMs)).toFixed(1)} ms median`);
  console.log(`modules loaded      ${first.loadedModules.join(', ') || '(none besides node: built-ins)'}`);
  console.log(`navigator reads     ${first.navigatorReads} (each one is a PendingMigrationError in VS Code's log)`);
  if (first.readyMs !== undefined) {
    console.log(`ready() (1st use)   ${median(results.map((r) => r.readyMs ?? NaN)).toFixed(1)} ms median: loads the chat bundle and opens the database`);
    console.log(`navigator reads     ${first.navigatorReadsAfterReady} once the chat is loaded`);
  }
  if (first.errors.length > 0) console.log(`logged errors       ${first.errors.join(' | ')}`);
}

/** One cold load and activation in this process; prints the figures as JSON on the last line. */
async function measureOnce(): Promise<void> {
  let navigatorReads = 0;
  // VS Code's extension host replaces Node's `navigator` with a getter that logs an error; count the reads instead.
  Object.defineProperty(globalThis, 'navigator', {
    configurable: true,
    get: () => {
      navigatorReads++;
      return undefined;
    },
  });
  const errors: string[] = [];
  const storage = mkdtempSync(path.join(tmpdir(), 'activation-bench-'));
  installVscodeStub(errors);
  const before = new Set(Object.keys(createRequire(bundle).cache));
  const loadStart = performance.now();
  const extension = createRequire(import.meta.url)(bundle) as { activate(context: unknown): unknown };
  const loadMs = performance.now() - loadStart;
  const activateStart = performance.now();
  const api = (await extension.activate(fakeContext(storage))) as { ready?: () => Promise<void> };
  const activateMs = performance.now() - activateStart;
  const atActivation = navigatorReads;
  const loadedModules = Object.keys(createRequire(bundle).cache)
    .filter((file) => !before.has(file) && file !== bundle)
    .map((file) => path.relative(path.dirname(bundle), file));
  // Then the first use: what opening the chat loads (the bundle before the split had loaded it all at activation).
  const readyStart = performance.now();
  await api.ready?.();
  const readyMs = api.ready ? performance.now() - readyStart : undefined;
  rmSync(storage, { recursive: true, force: true });
  console.log(JSON.stringify({ loadMs, activateMs, readyMs, navigatorReads: atActivation, navigatorReadsAfterReady: navigatorReads, loadedModules, errors } satisfies RunFigures));
  process.exit(0);
}

/** A context with the few fields activation reads. */
function fakeContext(storage: string): unknown {
  const uri = (fsPath: string) => ({ fsPath, scheme: 'file', path: fsPath, toString: () => `file://${fsPath}` });
  const secrets = { get: async () => undefined, store: async () => undefined, delete: async () => undefined, onDidChange: () => ({ dispose() {} }) };
  return { subscriptions: [], extensionUri: uri(path.dirname(path.dirname(bundle))), extensionPath: path.dirname(path.dirname(bundle)), globalStorageUri: uri(storage), extensionMode: 1, secrets };
}

/** Makes `require('vscode')` return a stand-in whose every API is a no-op returning a disposable. */
function installVscodeStub(errors: string[]): void {
  const disposable = { dispose() {} };
  const event = () => disposable;
  const logChannel = new Proxy({}, { get: (_, name) => (name === 'error' ? (message: unknown) => errors.push(String(message)) : name === 'logLevel' ? 2 : () => undefined) });
  const stub = {
    ExtensionMode: { Production: 1, Development: 2, Test: 3 },
    ViewColumn: { Active: -1, Beside: -2 },
    Uri: { joinPath: (base: { fsPath: string }, ...parts: string[]) => ({ fsPath: path.join(base.fsPath, ...parts) }), file: (fsPath: string) => ({ fsPath }) },
    window: new Proxy({ createOutputChannel: () => logChannel }, { get: (target, name) => (target as Record<string | symbol, unknown>)[name] ?? (() => disposable) }),
    workspace: new Proxy(
      { workspaceFolders: undefined, workspaceFile: undefined, getConfiguration: () => ({ get: (_: string, fallback: unknown) => fallback }) },
      { get: (target, name) => (name in target ? (target as Record<string | symbol, unknown>)[name] : event) },
    ),
    commands: { registerCommand: () => disposable, executeCommand: async () => undefined },
    lm: { registerTool: () => disposable },
    EventEmitter: class {
      event = event;
      fire(): void {}
      dispose(): void {}
    },
  };
  const load = (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load;
  (Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown })._load = (request, ...rest) => (request === 'vscode' ? stub : load(request, ...rest));
}
