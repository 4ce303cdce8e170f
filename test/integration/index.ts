// The `run()` that VS Code's extension host calls for --extensionTestsPath (the @vscode/test-electron contract,
// and the smoke-test driver payload in code-server). Runs every *.test.js beside this bundle with mocha, prints
// mocha's report (it reaches the harness as console messages) and writes a result file the harness trusts
// more than the workbench's exit code: a crashed extension host can still report 0.
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { resultFilePath } from './support/harnessEnv.ts';

/** One test's outcome, as written to the result file. */
export interface TestOutcome {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  error?: string;
}

/** The result file's shape: `{passed, failed, tests}`. */
export interface SuiteResult {
  passed: number;
  failed: number;
  tests: TestOutcome[];
}

function writeResult(result: SuiteResult): void {
  const file = resultFilePath();
  if (file) writeFileSync(file, JSON.stringify(result, null, 2));
}

/** Entry point called by the extension host; rejects when any test failed. */
export async function run(): Promise<void> {
  // SESSION_CHAT_TEST_GREP runs only the tests whose full title matches (a quicker loop while working).
  const grep = process.env.SESSION_CHAT_TEST_GREP;
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  const here = import.meta.dirname;
  for (const file of readdirSync(here).filter((name) => name.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(here, file));
  }
  const result: SuiteResult = { passed: 0, failed: 0, tests: [] };
  try {
    const failures = await new Promise<number>((resolve) => {
      const runner = mocha.run(resolve);
      runner.on('pass', (test) => {
        result.passed++;
        result.tests.push({ title: test.fullTitle(), state: 'passed' });
      });
      runner.on('fail', (test, error: Error) => {
        result.failed++;
        result.tests.push({ title: test.fullTitle(), state: 'failed', error: error.stack ?? String(error) });
      });
      runner.on('pending', (test) => result.tests.push({ title: test.fullTitle(), state: 'pending' }));
    });
    if (failures > 0 && result.failed === 0) result.failed = failures;
  } catch (error) {
    // Loading a suite file threw: count it, so the harness never sees a clean zero.
    result.failed++;
    result.tests.push({ title: 'loading the integration suite', state: 'failed', error: String((error as Error).stack ?? error) });
  }
  writeResult(result);
  if (result.failed > 0) throw new Error(`${result.failed} integration test(s) failed`);
}
