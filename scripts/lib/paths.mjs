// Where things live, computed from this file so every script works from any working directory.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chooseNode } from './nodeRuntime.mjs';

/** The repository root (scripts/lib/../..). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Git-ignored scratch root: code-server install, per-run user data, the VSIX. */
export const scratchRoot = path.join(repoRoot, '.vscode-test');

/** Folder of an installed package of the project, or undefined. */
function installedPackageDir(name) {
  const dir = path.join(repoRoot, 'node_modules', name);
  return existsSync(path.join(dir, 'package.json')) ? dir : undefined;
}

/**
 * The Node for a purpose on this machine (see chooseNode in nodeRuntime.mjs); throws what to install when
 * there is none. 'scripts' is the running Node once scripts/run.mjs started us; 'code-server' is Node 24.
 * @param {'scripts' | 'code-server'} [purpose]
 * @returns {{node: string, nodeDir?: string, source: 'current' | 'package'}}
 */
export function nodeFor(purpose = 'scripts') {
  const choice = chooseNode({
    platform: process.platform,
    arch: process.arch,
    current: { version: process.versions.node, napi: process.versions.napi, execPath: process.execPath },
    packageDir: installedPackageDir,
    exists: existsSync,
    purpose,
  });
  if (!choice.ok) throw new Error(choice.message);
  return choice;
}

/** PATH with `node`'s folder first, so `#!/usr/bin/env node` children and npm's lifecycle scripts use it. */
export function pathWithNode(node, current = process.env.PATH ?? '') {
  return [path.dirname(node), current].filter(Boolean).join(path.delimiter);
}
