// The same integration suite in a desktop VS Code, through @vscode/test-electron: `npm run test:electron`.
// It downloads VS Code from Microsoft's update server, so it runs only where that is reachable (not on the
// project's CI machines, which use code-server: `npm run test:integration`). Linux without a display: xvfb-run.
// VSCODE_VERSION picks the build (default 'stable'; e.g. 1.101.0 for the oldest supported).
import '../../scripts/checkNode.mjs';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';
import { packageVsix } from '../../scripts/package.mjs';
import { buildIntegrationSuite } from '../../scripts/lib/buildIntegration.mjs';
import { startTestServerProcess } from '../../scripts/lib/testServerProcess.mjs';
import { repoRoot, scratchRoot } from '../../scripts/lib/paths.mjs';

const { publisher, name, version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8'));
const runDir = path.join(scratchRoot, 'electron', String(Date.now()));
const dirs = { userData: path.join(runDir, 'user-data'), extensions: path.join(runDir, 'extensions'), workspace: path.join(runDir, 'workspace') };
for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
const resultFile = path.join(runDir, 'result.json');

/** Installs the VSIX with the downloaded VS Code's own CLI, into the scratch extensions dir. */
function installVsix(vscodeExecutablePath, vsix) {
  const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
  const result = spawnSync(cli, [...cliArgs, '--extensions-dir', dirs.extensions, '--install-extension', vsix, '--force'], { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) throw new Error(`installing ${vsix} failed`);
  const installed = path.join(dirs.extensions, `${publisher}.${name}-${version}`);
  if (!existsSync(installed)) throw new Error(`the VSIX did not install to ${installed}`);
  return installed;
}

let exitCode = 1;
const testServer = await startTestServerProcess();
try {
  const vsix = await packageVsix();
  const extensionTestsPath = await buildIntegrationSuite();
  const vscodeExecutablePath = await downloadAndUnzipVSCode(process.env.VSCODE_VERSION ?? 'stable');
  const installed = installVsix(vscodeExecutablePath, vsix);
  mkdirSync(path.join(dirs.userData, 'User'), { recursive: true });
  writeFileSync(path.join(dirs.userData, 'User', 'settings.json'), JSON.stringify({
    'telemetry.telemetryLevel': 'off', 'workbench.startupEditor': 'none', 'chat.disableAIFeatures': true,
    'extensions.autoUpdate': false, 'sessionChat.baseUrl': testServer.baseUrl, 'sessionChat.model': 'test-model',
  }, null, 2));
  const code = await runTests({
    vscodeExecutablePath,
    // The installed copy of the VSIX, so the packaged artifact is what runs.
    extensionDevelopmentPath: installed,
    extensionTestsPath,
    extensionTestsEnv: { SESSION_CHAT_TEST_RESULT: resultFile, SESSION_CHAT_TEST_SERVER: testServer.baseUrl, SESSION_CHAT_TEST_LOGS: path.join(dirs.userData, 'logs') },
    launchArgs: [dirs.workspace, '--user-data-dir', dirs.userData, '--extensions-dir', dirs.extensions, '--disable-workspace-trust'],
  });
  const result = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')) : undefined;
  console.log(`${result?.passed ?? 0} passed, ${(result?.failed ?? 0) + (result ? 0 : 1)} failed`);
  exitCode = code === 0 && result?.failed === 0 && result.passed > 0 ? 0 : 1;
} catch (error) {
  console.error(`[electron] ${error instanceof Error ? error.message : error}`);
  console.log('0 passed, 1 failed');
} finally {
  await testServer.stop();
}
process.exit(exitCode);
