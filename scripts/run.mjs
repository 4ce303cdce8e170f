// Every npm script starts here: `node scripts/run.mjs <script> [args...]`. Written for any Node from 18 on,
// since `node` is whatever the user has on PATH (Node 20 on this project's CI).
// It picks the Node that runs the script (see chooseNode in lib/nodeRuntime.mjs): the running one when it
// is new enough, else the platform's Node 24 that npm installed from the optional dependencies, else it
// says what to install. The script then runs in this process, or in a child on the chosen Node.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { nodeFor, pathWithNode, repoRoot } from './lib/paths.mjs';

const [target, ...args] = process.argv.slice(2);
if (!target) {
  console.error('Usage: node scripts/run.mjs <script> [args...]   (a path relative to the repository root)');
  process.exit(2);
}
const script = path.resolve(repoRoot, target);

let choice;
try {
  choice = nodeFor('scripts');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

if (choice.source === 'current') {
  // The script reads its arguments from process.argv as if Node had started it directly.
  process.argv = [process.execPath, script, ...args];
  await import(pathToFileURL(script).href);
} else {
  // Its children (`node`, npm's lifecycle scripts, vsce's `npm list`) find the same Node first on PATH.
  const child = spawn(choice.node, [script, ...args], { stdio: 'inherit', env: { ...process.env, PATH: pathWithNode(choice.node) } });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => child.kill(signal));
  }
  child.on('error', (error) => {
    console.error(`[run] could not start ${choice.node}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
