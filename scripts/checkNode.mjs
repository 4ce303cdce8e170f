// Imported first by every script that runs the project's code. npm scripts start through scripts/run.mjs,
// which picks a Node that is new enough; a script started directly with an older Node stops here with words
// instead of crashing later (better-sqlite3 13 would segfault, not throw, below Node-API 10).
import { minimumScriptsNode, runsScripts } from './lib/nodeRuntime.mjs';

if (!runsScripts({ version: process.versions.node, napi: process.versions.napi })) {
  console.error(
    `Session Chat needs Node ${minimumScriptsNode} or newer (Node-API 10); this is Node ${process.versions.node}.\n` +
      'Run it through npm (`npm ci && npm test`), or as `node scripts/run.mjs <script>`: both pick the Node 24\n' +
      'that npm installed for this platform when the one on PATH is older.',
  );
  process.exit(1);
}
