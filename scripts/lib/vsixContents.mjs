import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

// What the VSIX may and must contain. packageVsix() checks the file list before packaging, so a drifting
// .vscodeignore (sources, tests, source maps, other node_modules) fails the build instead of shipping.

/** Path prefixes a shipped file may start with. */
const allowed = ['LICENSE', 'README.md', 'CHANGELOG.md', 'package.json', 'dist/', 'media/', 'node_modules/better-sqlite3/'];

/**
 * Problems with a VSIX file list (paths relative to the extension root); empty when it is fine.
 * @param {string[]} files
 * @param {{target?: string, dropPrebuilds?: boolean}} options
 */
export function vsixProblems(files, { target, dropPrebuilds = false } = {}) {
  const problems = [];
  for (const file of files) {
    if (!allowed.some((prefix) => file === prefix || (prefix.endsWith('/') && file.startsWith(prefix)))) problems.push(`ships ${file}`);
    if (file.endsWith('.map') || file.endsWith('.ts')) problems.push(`ships a source or map: ${file}`);
    if (file.startsWith('node_modules/better-sqlite3/') && !/^node_modules\/better-sqlite3\/(package\.json|LICENSE|lib\/.+\.js|prebuilds\/[\w-]+\.node)$/.test(file)) {
      problems.push(`ships a better-sqlite3 file it does not load: ${file}`);
    }
  }
  for (const required of ['package.json', 'dist/extension.js', 'dist/chat.js', 'dist/webview.js', 'node_modules/better-sqlite3/package.json', 'node_modules/better-sqlite3/lib/index.js']) {
    if (!files.includes(required)) problems.push(`misses ${required}`);
  }
  const prebuilds = files.filter((file) => file.startsWith('node_modules/better-sqlite3/prebuilds/'));
  if (!dropPrebuilds && prebuilds.length === 0) problems.push('misses every better-sqlite3 prebuild');
  if (target && prebuilds.some((file) => file !== `node_modules/better-sqlite3/prebuilds/${target}.node`)) {
    problems.push(`ships prebuilds of other platforms than ${target}`);
  }
  return problems;
}

/** The most dist/extension.js may weigh: VS Code reads and compiles all of it on every activation. */
export const lightBundleMaxBytes = 500_000;

/**
 * Shipped files under dist/ and media/ that nothing loads, so they only weigh on every install. A file is
 * loaded when one of `loaders` names it: package.json (main, icons), a shipped bundle or stylesheet (the
 * chat bundle, the worker, the codicon font), or a host source (the webview's script and styles, tab icons).
 * @param {string[]} files the VSIX file list
 * @param {{name: string, text: string}[]} loaders texts that may name a file; a file never counts for itself
 * @returns {string[]}
 */
export function unloadedFiles(files, loaders) {
  return files
    .filter((file) => /^(dist|media)\//.test(file))
    .filter((file) => {
      const name = file.slice(file.lastIndexOf('/') + 1);
      const named = new RegExp(`(^|[^\\w.-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
      return !loaders.some((loader) => loader.name !== file && named.test(loader.text));
    });
}

/**
 * The texts that load shipped files: package.json, the shipped bundles and stylesheets, and the host's sources.
 * @param {string[]} files the VSIX file list
 * @param {string} root the repository
 * @returns {{name: string, text: string}[]}
 */
export function loadersOf(files, root) {
  const hostSources = readdirSync(path.join(root, 'src', 'host'), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => `src/host/${file.split(path.sep).join('/')}`);
  const shipped = files.filter((file) => /^dist\/[^/]+\.(js|css)$/.test(file));
  return ['package.json', ...shipped, ...hostSources].map((name) => ({ name, text: readFileSync(path.join(root, name), 'utf8') }));
}
