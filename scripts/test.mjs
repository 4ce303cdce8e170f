// `npm test`: unit, typecheck + lint, the VSIX, integration in code-server, end-to-end in Chromium; then one
// summary line `N passed, N failed` for the whole run. `npm test -- unit|integration|e2e` runs one suite.
import './checkNode.mjs';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { nodeFor, repoRoot } from './lib/paths.mjs';
import { lint, typecheck } from './lib/checks.mjs';
import { ensureChromium, ensureCodeServer } from './lib/toolchain.mjs';

const only = process.argv[2];
const artifacts = path.join(repoRoot, '.artifacts');
const totals = { passed: 0, failed: 0 };
const lines = [];

/** Runs Node's test runner: spec to the terminal, TAP to a file whose closing counts we add up. */
function nodeTests(name, args) {
  const tap = path.join(artifacts, `${name}.tap`);
  const result = spawnSync(nodeFor().node, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', `--test-reporter-destination=${tap}`, ...args], { cwd: repoRoot, stdio: 'inherit', env: process.env });
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const passed = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  const failed = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0);
  // A runner that crashed or ran nothing counts as one failure, never as a silent zero.
  return { passed, failed: failed + ((result.status !== 0 || passed === 0) && failed === 0 ? 1 : 0) };
}

/** Runs one suite, adds its counts, records a line for the closing table. */
async function suite(name, body) {
  const started = Date.now();
  console.log(`\n===== ${name} =====`);
  let counts;
  try {
    counts = await body();
  } catch (error) {
    console.error(`[test] ${name} crashed: ${error instanceof Error ? error.message : error}`);
    counts = { passed: 0, failed: 1 };
  }
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  lines.push(`${name.padEnd(12)} ${counts.passed} passed, ${counts.failed} failed (${Math.round((Date.now() - started) / 1000)} s)`);
  return counts;
}

const unitSuite = () => nodeTests('unit', ['test/unit/**/*.spec.ts']);

/** Every tsconfig project and ESLint: one check each, so the closing table says which one failed. */
const checksSuite = async () => {
  const checked = typecheck();
  const linted = lint();
  return { passed: Number(checked) + Number(linted), failed: Number(!checked) + Number(!linted) };
};

/** Installs code-server and Chromium up front, so their time (and any apt message) shows on its own. */
async function tools() {
  await ensureCodeServer();
  await ensureChromium();
}

let vsix;
const packageSuite = async () => {
  const { packageVsix } = await import('./package.mjs');
  vsix = await packageVsix();
  return { passed: 1, failed: 0 };
};

const integrationSuite = async () => {
  if (!vsix) throw new Error('no VSIX was packaged');
  await tools();
  const { runIntegration } = await import('./integration.mjs');
  const outcome = await runIntegration({ vsix });
  return { passed: outcome.passed, failed: outcome.failed };
};

const e2eFiles = () => existsSync(path.join(repoRoot, 'test', 'e2e'))
  && readdirSync(path.join(repoRoot, 'test', 'e2e')).some((name) => name.endsWith('.e2e.ts'));

const e2eSuite = async () => {
  if (!vsix) throw new Error('no VSIX was packaged');
  await tools();
  process.env.SESSION_CHAT_VSIX = vsix;
  return nodeTests('e2e', ['--test-concurrency=1', 'test/e2e/**/*.e2e.ts']);
};

mkdirSync(artifacts, { recursive: true });
if (!only || only === 'unit') await suite('unit', unitSuite);
if (!only) await suite('typecheck+lint', checksSuite);
if (!only || only === 'integration' || only === 'e2e') {
  const packaged = await suite('package', packageSuite);
  if (packaged.failed > 0) console.error('[test] no VSIX: integration and e2e run against nothing and fail');
}
// code-server does not run on Windows: say so instead of failing on what the machine cannot do.
const noCodeServer = process.platform === 'win32'
  ? 'skipped: code-server does not run on Windows (run them in WSL; `npm run test:electron` runs the integration suite in a desktop VS Code)'
  : undefined;
const skip = (name) => {
  console.log(`\n===== ${name} =====\n[test] ${noCodeServer}`);
  lines.push(`${name.padEnd(12)} ${noCodeServer}`);
  totals.skipped = (totals.skipped ?? 0) + 1;
};
if (!only || only === 'integration') await (noCodeServer ? skip('integration') : suite('integration', integrationSuite));
if ((!only && e2eFiles()) || only === 'e2e') await (noCodeServer ? skip('e2e') : suite('e2e', e2eSuite));

console.log(`\n${lines.join('\n')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed${totals.skipped ? `, ${totals.skipped} skipped` : ''}`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
