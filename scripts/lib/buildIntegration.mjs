// Bundles the integration suite (test/integration/*.ts) into out/integration/ as CommonJS for the extension host:
// `vscode` is the host's, mocha resolves from the repo's node_modules (its CommonJS build, so no require(esm)).
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { repoRoot } from './paths.mjs';

/** Folder of the bundled suite; `index.js` in it is the extensionTestsPath. */
export const integrationOutDir = path.join(repoRoot, 'out', 'integration');

const mochaCommonJs = {
  name: 'mocha-commonjs',
  setup(build) {
    build.onResolve({ filter: /^mocha$/ }, () => ({ path: 'mocha/lib/mocha.cjs', external: true }));
  },
};

/**
 * Builds index.js and one <name>.test.js per suite file.
 * @returns {Promise<string>} absolute path of out/integration/index.js
 */
export async function buildIntegrationSuite() {
  const sourceDir = path.join(repoRoot, 'test', 'integration');
  const entryPoints = readdirSync(sourceDir)
    .filter((name) => name === 'index.ts' || name.endsWith('.test.ts'))
    .map((name) => path.join(sourceDir, name));
  rmSync(integrationOutDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: integrationOutDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: 'inline',
    external: ['vscode'],
    plugins: [mochaCommonJs],
    define: { 'import.meta.dirname': '__dirname' },
    logLevel: 'warning',
  });
  return path.join(integrationOutDir, 'index.js');
}
