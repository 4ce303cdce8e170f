// One environment for the whole suite: the test model server, ONE code-server with the packaged
// VSIX installed and pointed at that server, and one headless Chromium page on the workbench.
import { appendFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { loadHarness } from './harness.ts';
import type { CodeServer, TestServer } from './harness.ts';
import { openWorkbench } from './workbench.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Screenshots (wanted ones and those of failures) and the page's console log. */
export const artifactsDir = path.join(repoRoot, '.artifacts');

/** What every scenario gets. */
export interface E2eEnvironment {
  page: Page;
  codeServer: CodeServer;
  model: TestServer;
  /** The folder code-server opened first, and a second one for the per-workspace scenario. */
  folder: string;
  otherFolder: string;
  /** The workbench URL that opens `folder`. */
  folderUrl(folder: string): string;
  /** Saves a screenshot of the whole window under .artifacts/ and returns its path. */
  screenshot(relativePath: string): Promise<string>;
  close(): Promise<void>;
}

/** A workspace folder with one file, so the explorer is not empty. */
function makeFolder(parent: string, name: string): string {
  const folder = path.join(parent, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'README.md'), `# ${name}\n\nA folder opened by the end-to-end suite.\n`);
  return folder;
}

/** The VSIX the runner already built (npm test packages once), else a fresh one. */
async function vsixPath(packageVsix: () => Promise<string>): Promise<string> {
  const given = process.env.SESSION_CHAT_VSIX;
  if (given && existsSync(given)) return given;
  return packageVsix();
}

/** Console errors and page crashes go to a log file: the first place to look when a scenario fails. */
function recordConsole(page: Page): void {
  const logFile = path.join(artifactsDir, 'e2e-console.log');
  writeFileSync(logFile, '');
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') appendFileSync(logFile, `[${message.type()}] ${message.text()}\n`);
  });
  page.on('pageerror', (error) => appendFileSync(logFile, `[pageerror] ${error.message}\n`));
}

/** Starts everything; if any step fails, stops what had already started before rethrowing. */
export async function startE2eEnvironment(): Promise<E2eEnvironment> {
  const harness = await loadHarness();
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup().catch((error: unknown) => console.error('[e2e] cleanup failed:', error));
    cleanups.length = 0;
  };
  try {
    // Failure screenshots of an earlier run would only mislead.
    rmSync(path.join(artifactsDir, 'e2e-failures'), { recursive: true, force: true });
    mkdirSync(artifactsDir, { recursive: true });
    await Promise.all([harness.ensureCodeServer(), harness.ensureChromium()]);
    const vsix = await vsixPath(() => harness.packageVsix());
    const model = await harness.startTestServerProcess();
    cleanups.push(() => model.stop());
    const scratch = path.join(repoRoot, '.vscode-test', `e2e-${process.pid}`);
    cleanups.push(async () => rmSync(scratch, { recursive: true, force: true }));
    const folder = makeFolder(scratch, 'project');
    const otherFolder = makeFolder(scratch, 'other');
    const codeServer = await harness.startCodeServer({
      folder,
      vsix,
      userSettings: { 'sessionChat.baseUrl': model.baseUrl, 'sessionChat.model': 'e2e-model' },
      // A VS Code language model ("Test Model"), so Select Model shows both groups; never packaged.
      unpackedExtensions: [harness.testLmProviderDir],
    });
    cleanups.push(() => codeServer.stop());
    const browser = await harness.launchBrowser();
    cleanups.push(() => browser.close());
    const { page } = browser;
    recordConsole(page);
    const folderUrl = (dir: string) => `${new URL(codeServer.url).origin}/?folder=${encodeURIComponent(dir)}`;
    await openWorkbench(page, folderUrl(folder));
    const screenshot = async (relativePath: string) => {
      const file = path.join(artifactsDir, relativePath);
      mkdirSync(path.dirname(file), { recursive: true });
      await page.screenshot({ path: file });
      return file;
    };
    return { page, codeServer, model, folder, otherFolder, folderUrl, screenshot, close };
  } catch (error) {
    await close();
    throw error;
  }
}
