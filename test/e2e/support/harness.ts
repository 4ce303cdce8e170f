// Typed access to the project's test harness (scripts/lib/*.mjs, plain JavaScript with JSDoc).
// The .mjs files ship no declarations, so a static import would be an implicit `any` under strict
// TypeScript; importing them dynamically here and stating the shapes we rely on keeps the suite typed.
import type { BrowserContext, Page } from 'playwright-core';

/** A running code-server (scripts/lib/codeServer.mjs). */
export interface CodeServer {
  url: string;
  port: number;
  runDir: string;
  userDataDir: string;
  extensionsDir: string;
  logFile: string;
  stop(options?: { keepDir?: boolean }): Promise<void>;
}

export interface CodeServerOptions {
  folder: string;
  userSettings?: Record<string, unknown>;
  vsix?: string;
  /** Extension folders loaded as they are, e.g. `testLmProviderDir` (a `vscode.lm` test model); never packaged. */
  unpackedExtensions?: string[];
  smokeTestDriver?: boolean;
  env?: Record<string, string>;
  runDir?: string;
}

/** Headless Chromium with one page (scripts/lib/browser.mjs). */
export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** One request the test model server received (GET /_test/requests). */
export interface LoggedRequest {
  path: string;
  body?: unknown;
}

/** Behaviour for the test model server's next request(s), e.g. `{ error: 500, times: 1 }`. */
export type Behaviour = Record<string, unknown>;

/** The test model server in its own process (scripts/lib/testServerProcess.mjs). */
export interface TestServer {
  baseUrl: string;
  requests(): Promise<LoggedRequest[]>;
  next(behaviour: Behaviour): Promise<void>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

interface Harness {
  ensureCodeServer(): Promise<string>;
  ensureChromium(): Promise<string>;
  startCodeServer(options: CodeServerOptions): Promise<CodeServer>;
  /** test/fixtures/lm-provider: registers the Language Model API model "Test Model" (id `session-chat-test-model`). */
  testLmProviderDir: string;
  launchBrowser(options?: { profileDir?: string; consoleToStdout?: boolean }): Promise<Browser>;
  startTestServerProcess(): Promise<TestServer>;
  packageVsix(options?: { target?: string }): Promise<string>;
}

const lib = (name: string): string => new URL(`../../../scripts/${name}`, import.meta.url).href;

/** Loads the harness modules (each once; Node caches them). */
export async function loadHarness(): Promise<Harness> {
  const [toolchain, codeServer, browser, testServer, packaging] = await Promise.all([
    import(lib('lib/toolchain.mjs')),
    import(lib('lib/codeServer.mjs')),
    import(lib('lib/browser.mjs')),
    import(lib('lib/testServerProcess.mjs')),
    import(lib('package.mjs')),
  ]);
  return {
    ensureCodeServer: toolchain.ensureCodeServer,
    ensureChromium: toolchain.ensureChromium,
    startCodeServer: codeServer.startCodeServer,
    testLmProviderDir: codeServer.testLmProviderDir,
    launchBrowser: browser.launchBrowser,
    startTestServerProcess: testServer.startTestServerProcess,
    packageVsix: packaging.packageVsix,
  };
}
