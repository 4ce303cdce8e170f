// The integration suite inside a real VS Code: code-server with the packaged VSIX installed, the smoke-test
// driver running test/integration/index.ts in its extension host, Chromium opening the workbench.
// CLI: `npm run test:integration` (packages first; `-- --vsix file.vsix` tests a given VSIX).
import './checkNode.mjs';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { startCodeServer, testLmProviderDir } from './lib/codeServer.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { startTestServerProcess } from './lib/testServerProcess.mjs';
import { buildIntegrationSuite } from './lib/buildIntegration.mjs';
import { packageVsix } from './package.mjs';
import { repoRoot, scratchRoot } from './lib/paths.mjs';

const { version, publisher, name } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));

/** The smoke-test driver's payload: the dev-extension and tests paths, as vscode-remote URIs on this server. */
function workbenchUrl(server, folder, extensionPath, testsPath) {
  const remote = (file) => `vscode-remote://127.0.0.1:${server.port}${file}`;
  const payload = [['extensionDevelopmentPath', remote(extensionPath)], ['extensionTestsPath', remote(testsPath)]];
  return `${server.url}?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/** Opens the workbench and resolves with the code passed to window.codeAutomationExit. */
async function runInWorkbench(url, timeoutMs) {
  const browser = await launchBrowser({ consoleToStdout: true });
  try {
    const exited = new Promise((resolve) => browser.page.exposeFunction('codeAutomationExit', (code) => resolve(Number(code))));
    await browser.page.goto(url);
    let timer;
    const timeout = new Promise((resolve) => { timer = setTimeout(resolve, timeoutMs, 'timeout'); });
    const code = await Promise.race([exited, timeout]);
    clearTimeout(timer);
    return code;
  } finally {
    await browser.close();
  }
}

function readResult(file) {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Runs the integration suite once against a VSIX.
 * @param {{vsix?: string, timeoutMs?: number}} [options] vsix defaults to a fresh packageVsix()
 * @returns {Promise<{ok: boolean, passed: number, failed: number, exitCode: number|string, result?: object}>}
 */
export async function runIntegration({ vsix, timeoutMs = 10 * 60_000 } = {}) {
  const started = Date.now();
  const step = (what) => console.log(`[integration] ${what} at ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const vsixPath = vsix ?? (await packageVsix());
  const testsPath = await buildIntegrationSuite();
  const id = `${Date.now()}-${randomBytes(3).toString('hex')}`;
  const workspace = path.join(scratchRoot, 'workspaces', id);
  mkdirSync(workspace, { recursive: true });
  const resultFile = path.join(scratchRoot, 'workspaces', `${id}.result.json`);
  // Without the fixture server (not written yet on some branch) the suites that need a model fail by themselves.
  const testServer = existsSync(path.join(repoRoot, 'test', 'fixtures', 'serve.ts')) ? await startTestServerProcess() : undefined;
  const modelSettings = testServer ? { 'sessionChat.baseUrl': testServer.baseUrl, 'sessionChat.model': 'test-model' } : {};
  step('suite built, test model server up');
  // Our own run folder (startCodeServer keeps user data in <runDir>/user-data), so the suite can be told
  // where VS Code writes the extension's log files before code-server starts.
  const runDir = path.join(scratchRoot, 'runs', id);
  const logsDir = path.join(runDir, 'user-data', 'logs');
  let server;
  let ok = false;
  try {
    server = await startCodeServer({
      folder: workspace,
      runDir,
      vsix: vsixPath,
      // The suite chats through VS Code's Language Model API with this test-only model provider.
      unpackedExtensions: [testLmProviderDir],
      smokeTestDriver: true,
      userSettings: modelSettings,
      env: { SESSION_CHAT_TEST_RESULT: resultFile, SESSION_CHAT_TEST_LOGS: logsDir, ...(testServer ? { SESSION_CHAT_TEST_SERVER: testServer.baseUrl } : {}) },
    });
    step('code-server up with the VSIX installed');
    // Test THAT install: the dev-extension path is the folder `--install-extension` unpacked the VSIX into.
    const installed = path.join(server.extensionsDir, `${publisher}.${name}-${version}`);
    if (!existsSync(path.join(installed, 'package.json'))) throw new Error(`the VSIX did not install to ${installed}`);
    const exitCode = await runInWorkbench(workbenchUrl(server, workspace, installed, testsPath), timeoutMs);
    step(`workbench exited (${exitCode})`);
    const result = readResult(resultFile);
    const passed = result?.passed ?? 0;
    // No result file, a non-zero exit or a time-out each count as a failure even if mocha said otherwise.
    const crashed = exitCode !== 0 && (result?.failed ?? 0) === 0;
    const failed = (result?.failed ?? 0) + (result === undefined || crashed ? 1 : 0);
    ok = exitCode === 0 && result !== undefined && result.failed === 0 && passed > 0;
    if (!ok) console.error(`[integration] FAILED: codeAutomationExit=${exitCode}, result file ${result ? `says ${result.passed} passed, ${result.failed} failed` : 'missing'}; code-server log: ${server.logFile}`);
    return { ok, passed, failed: ok ? 0 : Math.max(failed, 1), exitCode, result };
  } finally {
    // A failed run keeps its folder (code-server.log, user data) for a look.
    await server?.stop({ keepDir: !ok });
    // A run folder passed in is ours to remove (stop() keeps it).
    if (ok && !process.env.SESSION_CHAT_KEEP_RUNS) rmSync(runDir, { recursive: true, force: true });
    await testServer?.stop();
    rmSync(workspace, { recursive: true, force: true });
    rmSync(resultFile, { force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const index = process.argv.indexOf('--vsix');
  const started = Date.now();
  const outcome = await runIntegration({ vsix: index > 0 ? path.resolve(process.argv[index + 1]) : undefined }).catch((error) => {
    console.error(error instanceof Error ? error.stack : error);
    return { ok: false, passed: 0, failed: 1 };
  });
  console.log(`[integration] ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`${outcome.passed} passed, ${outcome.failed} failed`);
  process.exit(outcome.ok ? 0 : 1);
}
