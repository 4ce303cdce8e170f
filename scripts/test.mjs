// `npm test`: every suite that exists, then one summary line for the whole run.
import './checkNode.mjs';
import { spawnSync } from 'node:child_process';

const only = process.argv[2];
let passed = 0;
let failed = 0;

function runUnit() {
  const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', '--test-reporter-destination=.artifacts/unit.tap', 'test/unit/**/*.spec.ts'], { stdio: 'inherit' });
  return result.status ?? 1;
}

if (!only || only === 'unit') {
  const { mkdirSync, readFileSync } = await import('node:fs');
  mkdirSync('.artifacts', { recursive: true });
  const status = runUnit();
  const tap = readFileSync('.artifacts/unit.tap', 'utf8');
  const pass = Number(/^# pass (\d+)/m.exec(tap)?.[1] ?? 0);
  const fail = Number(/^# fail (\d+)/m.exec(tap)?.[1] ?? 0);
  passed += pass;
  failed += fail + (status !== 0 && fail === 0 ? 1 : 0);
}

console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
