/* global fetch -- Node 24 has fetch built in. */
// Starts a real VS Code (code-server) on 127.0.0.1 with scratch user data, optionally with a VSIX installed
// and the smoke-test driver enabled (which lets a browser URL run an --extensionTestsPath suite).
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { ensureCodeServer, run } from './toolchain.mjs';
import { killGroup, trackGroup } from './processGroups.mjs';
import { nodeFor, pathWithNode, repoRoot, scratchRoot } from './paths.mjs';

/** The test-only Language Model API provider (`vscode.lm` model "Test Model"), for `unpackedExtensions`. */
export const testLmProviderDir = path.join(repoRoot, 'test', 'fixtures', 'lm-provider');

/** Settings that keep a scratch VS Code quiet, offline and deterministic. */
const baseSettings = {
  'telemetry.telemetryLevel': 'off',
  'workbench.startupEditor': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
};

/** A free TCP port on 127.0.0.1 (the OS picks it; a tiny race with other processes is acceptable here). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Creates (or reuses) the scratch folders of one run. */
function prepareRunDir(runDir) {
  const dirs = {
    runDir,
    userDataDir: path.join(runDir, 'user-data'),
    extensionsDir: path.join(runDir, 'extensions'),
    xdgConfig: path.join(runDir, 'xdg', 'config'),
    xdgData: path.join(runDir, 'xdg', 'data'),
    xdgCache: path.join(runDir, 'xdg', 'cache'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  mkdirSync(path.join(dirs.userDataDir, 'User'), { recursive: true });
  return dirs;
}

/** Writes User/settings.json: our quiet defaults, then the caller's settings, over any from a reused run. */
function writeUserSettings(userDataDir, userSettings) {
  const file = path.join(userDataDir, 'User', 'settings.json');
  const previous = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : {};
  writeFileSync(file, JSON.stringify({ ...baseSettings, ...previous, ...userSettings }, null, 2));
}

/**
 * Puts unpacked extension folders (test-only ones, never packaged) into the extensions dir as
 * `publisher.name-version`. VS Code loads only what its extensions.json lists once that file exists;
 * it lists unlisted folders when it creates the file (the VSIX install below does), and a folder
 * added to a reused run gets its entry here.
 */
function addUnpackedExtensions(extensionsDir, folders) {
  const manifestFile = path.join(extensionsDir, 'extensions.json');
  for (const folder of folders) {
    const { publisher, name, version } = JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8'));
    const id = `${publisher}.${name}`;
    const target = path.join(extensionsDir, `${id}-${version}`);
    rmSync(target, { recursive: true, force: true });
    cpSync(folder, target, { recursive: true });
    if (!existsSync(manifestFile)) continue;
    const listed = JSON.parse(readFileSync(manifestFile, 'utf8'));
    if (listed.some((entry) => entry.identifier?.id === id)) continue;
    const location = { $mid: 1, fsPath: target, external: `file://${target}`, path: target, scheme: 'file' };
    listed.push({ identifier: { id }, version, location, relativeLocation: path.basename(target), metadata: { installedTimestamp: Date.now(), source: 'resource' } });
    writeFileSync(manifestFile, JSON.stringify(listed));
  }
}

/** Polls /healthz until it answers, the process dies, or the timeout passes. */
async function waitHealthy(url, child, logFile, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      const response = await fetch(new URL('healthz', url));
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '';
  throw new Error(`code-server did not become healthy at ${url}\n--- ${logFile} (tail) ---\n${log}`);
}

/**
 * Starts code-server on a free port of 127.0.0.1, in its own process group.
 * @param {object} options
 * @param {string} options.folder workspace folder to open
 * @param {Record<string, unknown>} [options.userSettings] user settings (over the quiet defaults)
 * @param {string} [options.vsix] a .vsix to install into the scratch extensions dir first
 * @param {string[]} [options.unpackedExtensions] extension folders to load as they are (test-only
 *   extensions such as test/fixtures/lm-provider; nothing here is ever packaged)
 * @param {boolean} [options.smokeTestDriver] enable the smoke-test driver (for extensionTestsPath payloads)
 * @param {Record<string, string>} [options.env] extra environment for code-server and its extension hosts
 * @param {string} [options.runDir] reuse this run folder (e.g. to restart VS Code on the same user data);
 *   it is then kept by stop(). By default a fresh .vscode-test/runs/<id> is made and removed by stop().
 * @returns {Promise<{url: string, port: number, runDir: string, userDataDir: string, extensionsDir: string,
 *   logFile: string, stop: (options?: {keepDir?: boolean}) => Promise<void>}>}
 */
export async function startCodeServer({ folder, userSettings = {}, vsix, unpackedExtensions = [], smokeTestDriver = false, env = {}, runDir } = {}) {
  if (!folder) throw new Error('startCodeServer needs a folder to open');
  const launcher = await ensureCodeServer();
  const ownDir = !runDir;
  const dirs = prepareRunDir(runDir ?? path.join(scratchRoot, 'runs', `${Date.now()}-${randomBytes(3).toString('hex')}`));
  writeUserSettings(dirs.userDataDir, userSettings);
  const childEnv = {
    ...process.env,
    PATH: pathWithNode(nodeFor('code-server').node),
    XDG_CONFIG_HOME: dirs.xdgConfig,
    XDG_DATA_HOME: dirs.xdgData,
    XDG_CACHE_HOME: dirs.xdgCache,
    ...env,
  };
  const common = ['--user-data-dir', dirs.userDataDir, '--extensions-dir', dirs.extensionsDir];
  addUnpackedExtensions(dirs.extensionsDir, unpackedExtensions);
  if (vsix) {
    await run(launcher, [...common, '--install-extension', path.resolve(vsix), '--force'], { env: childEnv, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const port = await freePort();
  const args = [
    ...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry', '--disable-update-check',
    '--disable-workspace-trust', '--disable-getting-started-override',
    ...(smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    path.resolve(folder),
  ];
  const logFile = path.join(dirs.runDir, 'code-server.log');
  const log = createWriteStream(logFile, { flags: 'a' });
  // detached: the child calls setsid(), so it leads its own process group and stop() can kill the group.
  const child = spawn(launcher, args, { env: childEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  trackGroup(child.pid);
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitHealthy(url, child, logFile);
  } catch (error) {
    await killGroup(child);
    throw error;
  }
  const stop = async ({ keepDir = false } = {}) => {
    await killGroup(child);
    log.end();
    if (ownDir && !keepDir && !process.env.SESSION_CHAT_KEEP_RUNS) rmSync(dirs.runDir, { recursive: true, force: true });
  };
  return { url, port, runDir: dirs.runDir, userDataDir: dirs.userDataDir, extensionsDir: dirs.extensionsDir, logFile, stop };
}
