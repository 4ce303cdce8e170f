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
  for (const required of ['package.json', 'dist/extension.js', 'dist/webview.js', 'node_modules/better-sqlite3/package.json', 'node_modules/better-sqlite3/lib/index.js']) {
    if (!files.includes(required)) problems.push(`misses ${required}`);
  }
  const prebuilds = files.filter((file) => file.startsWith('node_modules/better-sqlite3/prebuilds/'));
  if (!dropPrebuilds && prebuilds.length === 0) problems.push('misses every better-sqlite3 prebuild');
  if (target && prebuilds.some((file) => file !== `node_modules/better-sqlite3/prebuilds/${target}.node`)) {
    problems.push(`ships prebuilds of other platforms than ${target}`);
  }
  return problems;
}
