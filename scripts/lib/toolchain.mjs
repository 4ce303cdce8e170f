// Brings the tools the integration and end-to-end suites need: code-server (npm registry) and Chromium (apt).
// Each is installed once and cached; a second call is a quick existence check.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import { clearInterval, setInterval } from 'node:timers';
import { nodeFor, pathWithNode, scratchRoot } from './paths.mjs';

/** The code-server release that is VS Code 1.139.1 (see VSCODE-TESTING.md). */
export const codeServerVersion = '4.139.1';
const codeServerDir = path.join(scratchRoot, 'code-server');
const marker = path.join(codeServerDir, `.installed-${codeServerVersion}`);
const launcher = path.join(codeServerDir, 'code-server');
const chromiumPath = '/usr/bin/chromium';

/** Runs a command with inherited output; rejects with the command line when it fails. */
export function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed (${signal ?? `exit ${code}`})`));
    });
  });
}

/** True when we may install Debian packages ourselves. */
function canApt() {
  return process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
}

/**
 * Installs Debian packages as root; elsewhere throws a message that says what to install.
 * `apt-get update` runs first because a fresh image has no package lists.
 */
export async function aptInstall(packages, why) {
  if (!canApt()) {
    throw new Error(`${why} needs the system packages: ${packages.join(' ')}.\n` +
      `Install them (Debian/Ubuntu: sudo apt-get install -y ${packages.join(' ')}) and run again.`);
  }
  console.log(`[toolchain] apt-get install ${packages.join(' ')} (${why})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env });
  await run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env });
}

/** libkrb5-dev provides krb5-config, which code-server's `kerberos` module needs to compile. */
async function ensureKerberosHeaders() {
  if (existsSync('/usr/bin/krb5-config') || existsSync('/usr/include/krb5.h')) return;
  await aptInstall(['libkrb5-dev'], 'Building code-server (its kerberos module)');
}

/**
 * The environment without the outer npm's `npm_*` variables. Under `npm test` they describe that npm (run
 * by the system Node 20): a nested npm would take `npm_config_user_agent` as its own, and code-server's
 * postinstall reads the Node version from it and refuses to install.
 */
function cleanNpmEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')));
}

/**
 * Installs code-server into .vscode-test/code-server with Node 24 and its headers (once; ~2-3 min cold).
 * @returns {Promise<string>} absolute path of a launcher script that runs code-server on Node 24.
 */
export async function ensureCodeServer() {
  if (existsSync(marker) && existsSync(launcher)) return launcher;
  if (process.platform === 'win32') {
    throw new Error('code-server (the VS Code the integration and end-to-end suites drive) does not run on Windows.\n' +
      'Run those suites in WSL, or the integration suite in a desktop VS Code with `npm run test:electron`.');
  }
  // Node 24 with its headers: the platform's node-* package when npm installed it, else a Node 24 on PATH.
  const { node, nodeDir } = nodeFor('code-server');
  if (process.platform === 'linux') await ensureKerberosHeaders();
  rmSync(codeServerDir, { recursive: true, force: true });
  mkdirSync(codeServerDir, { recursive: true });
  writeFileSync(path.join(codeServerDir, 'package.json'), '{ "name": "code-server-install", "private": true }\n');
  const started = Date.now();
  console.log(`[toolchain] installing code-server@${codeServerVersion} (first time only, ~3 min)`);
  // Node 24 first on PATH runs npm and every postinstall; nodedir makes node-gyp build for Node 24's ABI
  // (a ~/.npmrc `nodedir=/usr` would otherwise select Node 20's headers).
  const env = { ...cleanNpmEnv(), PATH: pathWithNode(node), ...(nodeDir ? { npm_config_nodedir: nodeDir } : {}) };
  const ticker = installProgress(codeServerDir, started);
  try {
    await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${codeServerVersion}`], { cwd: codeServerDir, env });
  } finally {
    clearInterval(ticker);
  }
  const entry = path.join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing`);
  writeFileSync(launcher, `#!/bin/sh\nexec "${node}" "${entry}" "$@"\n`);
  chmodSync(launcher, 0o755);
  writeFileSync(marker, `${new Date().toISOString()} ${Math.round((Date.now() - started) / 1000)}s\n`);
  console.log(`[toolchain] code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return launcher;
}

/**
 * npm is silent for the minutes a cold code-server install takes: say every 15 s how far it got (packages
 * unpacked, then its native modules being built), so a first `npm start` does not look stuck.
 */
function installProgress(dir, started) {
  const modules = path.join(dir, 'node_modules');
  // npm unpacks every package, then runs the install scripts (code-server's compiles its native modules).
  const unpackedAll = path.join(modules, 'code-server', 'package.json');
  return setInterval(() => {
    const seconds = Math.round((Date.now() - started) / 1000);
    let unpacked = 0;
    try {
      unpacked = readdirSync(modules).length;
    } catch {
      // Nothing unpacked yet.
    }
    const phase = existsSync(unpackedAll) ? "running its install scripts (native modules)" : `downloading (${unpacked} packages unpacked)`;
    console.log(`[toolchain] installing code-server: ${seconds} s, ${phase}…`);
  }, 15_000);
}

/** Chrome or Chromium where the usual installers put them, for machines without Debian's package. */
const otherBrowsers = {
  darwin: ['/Applications/Chromium.app/Contents/MacOS/Chromium', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'],
  win32: [
    path.join(process.env.PROGRAMFILES ?? 'C:\\Program Files', 'Google', 'Chrome', 'Application', 'chrome.exe'),
    path.join(process.env['PROGRAMFILES(X86)'] ?? 'C:\\Program Files (x86)', 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
  ],
  linux: ['/usr/bin/chromium-browser', '/usr/bin/google-chrome'],
};

/**
 * A Chromium for Playwright (playwright-core downloads no browser): SESSION_CHAT_CHROMIUM when set, else
 * Debian's /usr/bin/chromium (installed with apt when we are root), else an installed Chrome or Chromium.
 * @returns {Promise<string>} the browser executable
 */
export async function ensureChromium() {
  const given = process.env.SESSION_CHAT_CHROMIUM;
  if (given) {
    if (!existsSync(given)) throw new Error(`SESSION_CHAT_CHROMIUM is ${given}, which does not exist`);
    return given;
  }
  if (existsSync(chromiumPath)) return chromiumPath;
  const installed = (otherBrowsers[process.platform] ?? []).find((file) => existsSync(file));
  if (installed) return installed;
  if (process.platform !== 'linux') {
    throw new Error('The end-to-end suites drive VS Code in Chrome or Chromium: install one, or set SESSION_CHAT_CHROMIUM to its executable.');
  }
  await aptInstall(['chromium'], 'Driving VS Code in a browser');
  if (!existsSync(chromiumPath)) throw new Error(`apt installed chromium but ${chromiumPath} is missing`);
  return chromiumPath;
}
