// Headless Chromium (Debian's, via playwright-core, which downloads no browser) for driving the workbench.
import { mkdtempSync, rmSync } from 'node:fs';
import { format } from 'node:util';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ensureChromium } from './toolchain.mjs';
import { scratchRoot } from './paths.mjs';

const chromiumArgs = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

/**
 * Console messages arrive printf-style; the workbench wraps what the extension host logs (mocha's report among
 * it) as `('%c INFO', css, format, ...args)`. Drop the styling and format the rest like Node's console would.
 */
async function formatConsole(message) {
  try {
    const values = await Promise.all(message.args().map((arg) => arg.jsonValue()));
    const styled = typeof values[0] === 'string' ? /^%c\s*(\w+)\s*$/.exec(values[0]) : null;
    if (styled && values.length > 2) {
      const level = styled[1] === 'INFO' ? '' : `${styled[1]} `;
      return `${level}${format(...values.slice(2))}`;
    }
    if (values.length > 0) return format(...values);
  } catch {
    // A handle that cannot be serialised (a DOM node): the plain text is good enough.
  }
  // Same styling prefix, as Playwright renders it: '%c  ERR color: #f33 Error: ...'.
  return message.text().replace(/^%c\s*(\w+) color: #\w+ /, (_, level) => (level === 'INFO' ? '' : `${level} `));
}

/** Copies every console message of a page to stdout, in order. */
function forwardConsole(page) {
  let chain = Promise.resolve();
  page.on('console', (message) => {
    chain = chain.then(async () => process.stdout.write(`${await formatConsole(message)}\n`));
  });
}

/**
 * Launches headless Chromium with a persistent profile.
 * @param {{profileDir?: string, consoleToStdout?: boolean}} [options] profileDir defaults to a fresh temporary
 *   folder (removed by close()); consoleToStdout forwards every page's console messages to stdout.
 * @returns {Promise<{context: import('playwright-core').BrowserContext, page: import('playwright-core').Page,
 *   close: () => Promise<void>}>}
 */
export async function launchBrowser({ profileDir, consoleToStdout = false } = {}) {
  const executablePath = await ensureChromium();
  const ownProfile = !profileDir;
  const dir = profileDir ?? mkdtempSync(path.join(scratchRoot, 'profile-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath, headless: true, args: chromiumArgs, viewport: { width: 1400, height: 900 } });
  if (consoleToStdout) {
    for (const page of context.pages()) forwardConsole(page);
    context.on('page', forwardConsole);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const close = async () => {
    await context.close().catch(() => {});
    if (ownProfile) rmSync(dir, { recursive: true, force: true });
  };
  return { context, page, close };
}
