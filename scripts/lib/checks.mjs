// The static checks: every TypeScript project, then ESLint. `npm run typecheck`, `npm run lint` and the
// typecheck+lint suite of `npm test` all run these lists, so a new tsconfig cannot be checked by one only.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { nodeFor, repoRoot } from './paths.mjs';

/**
 * One tsconfig per runtime: the extension host side without DOM types (src/core, src/shared, src/host,
 * bench), the tests (which may see DOM types through jsdom), and the webview (DOM only).
 */
export const tscProjects = ['tsconfig.json', 'tsconfig.test.json', 'tsconfig.webview.json'];

/** The JS entry points of the tools, run with our Node (node_modules/.bin holds shell shims on Windows). */
export const toolEntry = {
  tsc: path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'),
  eslint: path.join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js'),
};

/** Runs a tool to completion with inherited output; true when it exits 0. */
export function runTool(tool, args) {
  const result = spawnSync(nodeFor().node, [toolEntry[tool], ...args], { cwd: repoRoot, stdio: 'inherit' });
  return result.status === 0;
}

/** Type-checks every project (all of them, also after a failure, so one run shows every error). */
export function typecheck() {
  let ok = true;
  for (const project of tscProjects) {
    console.log(`[typecheck] tsc -p ${project}`);
    if (!runTool('tsc', ['-p', project])) ok = false;
  }
  return ok;
}

/** ESLint over the repository. */
export function lint(args = ['.']) {
  return runTool('eslint', args);
}
