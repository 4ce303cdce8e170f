// Builds the production bundles and packages them as a VSIX with @vscode/vsce.
// CLI: `npm run package [-- --target linux-x64]`.
import './checkNode.mjs';
import { readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFor, pathWithNode, repoRoot } from './lib/paths.mjs';
import { run } from './lib/toolchain.mjs';
import { lightBundleMaxBytes, loadersOf, unloadedFiles, vsixProblems } from './lib/vsixContents.mjs';

const outDir = path.join(repoRoot, '.artifacts');
const prebuildsLine = '!node_modules/better-sqlite3/prebuilds/**';

/**
 * The ignore file vsce gets: .vscodeignore as written, or with the prebuilds whitelisted for one target only.
 * `dropPrebuilds` (env SESSION_CHAT_BROKEN_VSIX=1) leaves the native binary out: only to show the suite fails then.
 */
function ignoreFileFor(target, dropPrebuilds) {
  const base = readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8');
  if (!base.includes(prebuildsLine)) throw new Error(`.vscodeignore lost its line ${prebuildsLine}`);
  if (!target && !dropPrebuilds) return path.join(repoRoot, '.vscodeignore');
  const replacement = dropPrebuilds ? '' : `!node_modules/better-sqlite3/prebuilds/${target}.node`;
  const file = path.join(outDir, `vscodeignore-${target ?? 'all'}${dropPrebuilds ? '-broken' : ''}`);
  writeFileSync(file, base.replace(prebuildsLine, replacement));
  return file;
}

/** Runs vsce, echoing its output, and returns what it printed (it reports the file count). */
function vsce(args, { quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const bin = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
    // vsce calls `npm list --production` to find the runtime dependencies; our Node first on PATH runs that npm.
    const { node } = nodeFor();
    const child = spawn(node, [bin, ...args], { cwd: repoRoot, env: { ...process.env, PATH: pathWithNode(node) }, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (!quiet) process.stdout.write(chunk);
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) return resolve(output);
      // What a quiet run held back is what explains the failure.
      if (quiet) process.stdout.write(output);
      reject(new Error(`vsce ${args.join(' ')} failed (exit ${code})`));
    });
  });
}

/**
 * Production build, then `vsce package`. vsce's dependency detection (npm list) finds node_modules; the
 * whitelist in .vscodeignore keeps only better-sqlite3's runtime files of it (everything else is bundled).
 * @param {{target?: string}} [options] a VS Code platform target such as 'linux-x64': only its prebuild ships
 * @returns {Promise<string>} absolute path of the .vsix
 */
export async function packageVsix({ target } = {}) {
  const dropPrebuilds = process.env.SESSION_CHAT_BROKEN_VSIX === '1';
  mkdirSync(outDir, { recursive: true });
  await run(nodeFor().node, [path.join(repoRoot, 'esbuild.mjs'), '--production'], { cwd: repoRoot });
  const { name, version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
  const vsixPath = path.join(outDir, `${name}-${version}${target ? `-${target}` : ''}${dropPrebuilds ? '-broken' : ''}.vsix`);
  const ignoreFile = ignoreFileFor(target, dropPrebuilds);
  const listed = (await vsce(['ls', '--ignoreFile', ignoreFile], { quiet: true })).split('\n').map((line) => line.trim()).filter(Boolean);
  const problems = vsixProblems(listed, { target, dropPrebuilds });
  // The store starts large version switches from dist/switchWorker.js, beside dist/extension.js.
  if (!listed.includes('dist/switchWorker.js')) problems.push('misses dist/switchWorker.js');
  for (const file of unloadedFiles(listed, loadersOf(listed, repoRoot))) problems.push(`ships ${file}, which nothing loads`);
  const light = statSync(path.join(repoRoot, 'dist', 'extension.js')).size;
  if (light > lightBundleMaxBytes) problems.push(`dist/extension.js weighs ${light} bytes (at most ${lightBundleMaxBytes}): load the heavy part from dist/chat.js`);
  if (problems.length > 0) throw new Error(`the VSIX would be wrong (check .vscodeignore):\n  ${problems.join('\n  ')}`);
  const args = ['package', '--out', vsixPath, '--ignoreFile', ignoreFile];
  if (target) args.push('--target', target);
  // Quiet: vsce prints every file it packs as a tree; the checks above and the line below say what matters.
  const output = await vsce(args, { quiet: true });
  const files = /Packaged: .*\((\d+) files?/.exec(output)?.[1] ?? '?';
  const size = statSync(vsixPath).size;
  console.log(`[package] ${path.relative(repoRoot, vsixPath)}: ${(size / 1024 / 1024).toFixed(2)} MiB, ${files} files${dropPrebuilds ? ' (BROKEN on purpose: no better-sqlite3 binary)' : ''}`);
  return vsixPath;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const index = process.argv.indexOf('--target');
  const target = index > 0 ? process.argv[index + 1] : undefined;
  try {
    await packageVsix({ target });
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
