// A second VS Code window on the same code-server: another browser page is another workbench with its
// own extension host, and both hosts share the extension's sessions.db.
import type { Page } from 'playwright-core';
import type { E2eEnvironment } from './environment.ts';
import { openWorkbench } from './workbench.ts';

/** How the second page was made: its own browser window (both windows paint), else a background tab. */
export type WindowKind = 'window' | 'tab';

/**
 * A new page in a browser window of its own, like a second desktop VS Code window. A second *tab*
 * would do for driving, but Chromium throttles a background tab even when headless (its panel
 * repainted up to ~1.2 s late after its host had the change, against ≤0.4 s in a window of its own),
 * so a timing taken there would be the browser's, not the extension's.
 */
async function newWindowPage(from: Page): Promise<Page> {
  const context = from.context();
  const cdp = await context.newCDPSession(from);
  try {
    const opened = context.waitForEvent('page', { timeout: 30_000 });
    await cdp.send('Target.createTarget', { url: 'about:blank', newWindow: true });
    return await opened;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/**
 * Opens a second window on `folder` (by default the suite's first folder) in the same browser
 * profile, and waits for its workbench: in a browser window of its own when Chromium allows it,
 * else in a new tab (`kind` says which). Close it with `page.close()`. Call `bringToFront()` on
 * the page to drive: keyboard focus follows the front page.
 */
export async function openSecondWindow(env: E2eEnvironment, folder: string = env.folder): Promise<{ page: Page; kind: WindowKind }> {
  let page: Page;
  let kind: WindowKind = 'window';
  try {
    page = await newWindowPage(env.page);
  } catch (error) {
    console.log(`[e2e] no second browser window (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); using a tab, whose timings the browser throttles`);
    page = await env.page.context().newPage();
    kind = 'tab';
  }
  try {
    await page.setViewportSize(env.page.viewportSize() ?? { width: 1400, height: 900 });
    await openWorkbench(page, env.folderUrl(folder));
    return { page, kind };
  } catch (error) {
    await page.close().catch(() => {});
    throw error;
  }
}
