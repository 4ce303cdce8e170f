// Issue 15: the first five minutes and every keystroke. A fresh profile with no key shows "Set up a model" and
// the test server chosen there answers the next message; Escape stops a streaming answer and keeps its text;
// Tab from the message box reaches the panel's actions; after a reload the message box has the focus; the
// editor panel and the side bar view each show the thread actions once, in VS Code's own title bars.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FrameLocator, Page } from 'playwright-core';
import { artifactsDir, type E2eEnvironment } from '../support/environment.ts';
import { loadHarness } from '../support/harness.ts';
import { assistantArticles, chatFrame, messageBox, openChatSettled, panelElement, sendAndWaitForAnswer, typeAndSend, waitForIdle, waitForPanel } from '../support/chatPanel.ts';
import { requestFor } from '../support/modelLog.ts';
import { pollUntil } from '../support/poll.ts';
import { HIGH_CONTRAST, THEMES, openWorkbench, reloadWorkbench, runCommand, setNamedColorTheme, type NamedTheme } from '../support/workbench.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The VSIX the suite installed: the runner's, else the one `packageVsix()` wrote for this version. */
function vsixFile(): string {
  if (process.env.SESSION_CHAT_VSIX) return process.env.SESSION_CHAT_VSIX;
  const { name, version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string };
  return path.join(repoRoot, '.artifacts', `${name}-${version}.vsix`);
}

/** The setup card's heading, as a screen reader finds it. */
function setupHeading(frame: FrameLocator) {
  return frame.getByRole('heading', { name: 'Set up a model' });
}

/** Which element of the panel's document has the focus, by its accessible name. */
function focusedName(page: Page): Promise<string> {
  return chatFrame(page)
    .locator('body')
    .evaluate((body) => {
      const active = body.ownerDocument.activeElement;
      return active ? (active.getAttribute('aria-label') ?? active.textContent?.trim() ?? active.tagName) : '';
    });
}

/** The panel's body once it has a theme's colours (high contrast's theme id differs from its label). */
const THEMED_BODY: Record<string, string> = {
  vs: `body.vscode-light[data-vscode-theme-id="${THEMES.light.name}"]`,
  'vs-dark': `body.vscode-dark[data-vscode-theme-id="${THEMES.dark.name}"]`,
  'hc-black': 'body.vscode-high-contrast:not(.vscode-high-contrast-light)',
};

/** The setup card in each theme, for a person to look at (docs/screenshots/). */
async function setupScreenshots(page: Page): Promise<void> {
  const themes: NamedTheme[] = [THEMES.light, THEMES.dark, HIGH_CONTRAST];
  for (const theme of themes) {
    await setNamedColorTheme(page, theme);
    await chatFrame(page).locator(THEMED_BODY[theme.workbenchClass] ?? 'body').waitFor({ state: 'attached', timeout: 30_000 });
    const slug = theme.workbenchClass === 'vs' ? 'light' : theme.workbenchClass === 'vs-dark' ? 'dark' : 'high-contrast';
    const file = path.join(repoRoot, 'docs', 'screenshots', `setup-card-${slug}.png`);
    await panelElement(page).screenshot({ path: file });
  }
}

/**
 * A fresh profile (its own code-server: no Session Chat settings, no key) opens the chat: the setup
 * card shows instead of the empty state. The test server is chosen there (base URL, List Models, Use
 * This Server); the next message is answered by it, with the model picked in the card.
 */
export async function freshProfileSetsUpAModel(env: E2eEnvironment): Promise<void> {
  const harness = await loadHarness();
  const folder = path.join(repoRoot, '.vscode-test', `e2e-fresh-${process.pid}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, 'README.md'), '# fresh\n\nA folder opened by the first-run scenario.\n');
  const server = await harness.startCodeServer({ folder, vsix: vsixFile() });
  const page = await env.page.context().newPage();
  try {
    await page.setViewportSize(env.page.viewportSize() ?? { width: 1400, height: 900 });
    await openWorkbench(page, `${new URL(server.url).origin}/?folder=${encodeURIComponent(folder)}`);
    await openChatSettled(page);
    const frame = chatFrame(page);
    await setupHeading(frame).waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await frame.getByText('Start a conversation').count(), 0, 'the card replaces the empty state');
    await frame.getByText(/No local server answers/).waitFor({ state: 'visible', timeout: 30_000 });
    await setupScreenshots(page);

    await frame.getByRole('textbox', { name: 'Base URL' }).fill(env.model.baseUrl);
    await frame.getByRole('button', { name: 'List Models' }).click();
    const model = frame.getByRole('combobox', { name: 'Model' }).or(frame.getByRole('textbox', { name: 'Model' }));
    await pollUntil(async () => (await model.inputValue()) === 'test-model', { message: 'the model list of the test server', timeoutMs: 30_000 });
    await frame.getByRole('button', { name: 'Use This Server' }).click();
    await setupHeading(frame).waitFor({ state: 'hidden', timeout: 30_000 });
    await frame.getByRole('button', { name: 'Model: test-model. Select model' }).waitFor({ state: 'visible', timeout: 30_000 });
    await pollUntil(async () => (await focusedName(page)) === 'Message', { message: 'the message box to have the cursor after setup', timeoutMs: 15_000 });

    const question = 'Hello after setting up a model';
    await sendAndWaitForAnswer(page, question);
    const request = await requestFor(env.model, question);
    assert.ok(request, 'the test server answered the next message');
    assert.equal((request.body as { model?: string }).model, 'test-model', 'with the model chosen in the card');
    assert.match(request.path, /\/chat\/completions$/, 'over the wire API the card chose for a server that is not OpenAI');
  } finally {
    await page.close().catch(() => {});
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Escape while the answer streams (the box is empty after sending) stops it; what arrived stays. */
export async function escapeStopsStreaming(env: E2eEnvironment): Promise<void> {
  const { page } = env;
  await openChatSettled(page);
  const before = await assistantArticles(page).count();
  await typeAndSend(page, '[slow] A long story to stop with Escape');
  // A few words first, so there is something to keep.
  const shown = await pollUntil(
    async () => {
      if ((await assistantArticles(page).count()) <= before) return undefined;
      const text = await assistantArticles(page).last().innerText({ timeout: 5_000 });
      return text.includes('Echo: [slow] A long') ? text.replace(/^Assistant\s*/, '').trim() : undefined;
    },
    { message: 'the slow answer to start streaming', timeoutMs: 30_000 },
  );
  await messageBox(page).press('Escape');
  await waitForIdle(page);
  const partial = await pollUntil(
    async () => {
      const text = await assistantArticles(page).last().innerText({ timeout: 5_000 });
      return /Stopped before the answer was complete/.test(text) ? text : undefined;
    },
    { message: 'the partial answer after Escape', timeoutMs: 30_000 },
  );
  assert.ok(partial.replace(/\s+/g, ' ').includes(shown.replace(/\s+/g, ' ')), `what had arrived is kept: ${JSON.stringify(shown)} in ${JSON.stringify(partial)}`);
  assert.doesNotMatch(partial, /I was sent \d+ messages/, 'the answer was cut short');
  assert.equal(await focusedName(page), 'Message');
}

/** Tab from the message box reaches the panel's own actions (the model button in the footer). */
export async function tabReachesPanelActions(env: E2eEnvironment): Promise<void> {
  const { page } = env;
  await openChatSettled(page);
  await messageBox(page).click();
  await messageBox(page).fill('');
  await page.keyboard.press('Tab');
  assert.match(await focusedName(page), /^Model: .*Select model$/, 'Tab goes from the message box to the model button');
}

/** After a window reload the restored panel puts the cursor in its message box. */
export async function reloadFocusesMessageBox(env: E2eEnvironment): Promise<void> {
  const { page } = env;
  await openChatSettled(page);
  await reloadWorkbench(page);
  await waitForPanel(page);
  await pollUntil(async () => (await focusedName(page)) === 'Message', { message: 'the message box to have the focus after reload', timeoutMs: 30_000 });
}

const THREAD_ACTIONS = ['New Thread', 'Switch Thread', 'Undo Last Turn', 'Redo Last Turn', 'Clear Session', 'Search History'];

/** The number of title-bar actions named `name` (the label may carry a keybinding after it). */
async function titleActions(page: Page, scope: string, name: string): Promise<number> {
  return page.locator(scope).getByRole('button', { name: new RegExp(`^${name}`) }).count();
}

/** The names of the title-bar actions in `scope`, in order. */
function actionNames(page: Page, scope: string): Promise<string[]> {
  return page.locator(scope).getByRole('button').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('aria-label') ?? node.textContent ?? ''));
}

/** Buttons in a chat webview named like a thread action (there should be none: the title bar has them). */
async function webviewActions(frame: FrameLocator): Promise<number> {
  let count = 0;
  for (const name of THREAD_ACTIONS) count += await frame.getByRole('button', { name: new RegExp(`^${name}`) }).count();
  return count;
}

/**
 * Each surface shows its actions once: the editor panel in the editor's title bar, the side bar view in
 * the view's title, in the same order; neither webview repeats them. A screenshot of each is saved.
 */
export async function eachSurfaceShowsActionsOnce(env: E2eEnvironment): Promise<void> {
  const { page } = env;
  await openChatSettled(page);
  const editorTitle = '.part.editor .editor-actions';
  for (const name of THREAD_ACTIONS) assert.equal(await titleActions(page, editorTitle, name), 1, `the editor title bar shows ${name} once`);
  assert.equal(await webviewActions(chatFrame(page)), 0, 'the panel itself repeats none of them');
  const editorOrder = await actionNames(page, editorTitle);

  await runCommand(page, 'Session Chat: Focus on Chat View');
  const viewFrame = page.locator('iframe.webview.ready[src*="purpose=webviewView"]').first().contentFrame().frameLocator('#active-frame');
  await viewFrame.getByRole('textbox', { name: 'Message' }).waitFor({ state: 'visible', timeout: 60_000 });
  // A container with one view shows the view's actions in the side bar's own title.
  const sidebarTitle = '.part.sidebar .composite.title, .part.sidebar .pane-header';
  for (const name of THREAD_ACTIONS) assert.equal(await titleActions(page, sidebarTitle, name), 1, `the side bar shows ${name} once`);
  assert.equal(await webviewActions(viewFrame), 0, 'the view itself repeats none of them');
  const viewOrder = await actionNames(page, sidebarTitle);
  const order = (labels: string[]) => labels.map((label) => THREAD_ACTIONS.find((name) => label.startsWith(name))).filter(Boolean);
  assert.deepEqual(order(viewOrder), order(editorOrder), 'the same actions in the same order');
  mkdirSync(path.join(artifactsDir, 'screenshots'), { recursive: true });
  await page.screenshot({ path: path.join(artifactsDir, 'screenshots', 'one-toolbar-window.png') });
  await runCommand(page, 'View: Close Primary Side Bar');
}

/** The panel with its one toolbar (the editor title bar) in light, dark and high contrast, into docs/screenshots/. */
export async function oneToolbarScreenshots(env: E2eEnvironment): Promise<void> {
  const { page } = env;
  await openChatSettled(page);
  await sendAndWaitForAnswer(page, 'Show me some code for the toolbar screenshot');
  for (const [slug, theme] of [['light', THEMES.light], ['dark', THEMES.dark], ['high-contrast', HIGH_CONTRAST]] as const) {
    await setNamedColorTheme(page, theme);
    await chatFrame(page).locator(THEMED_BODY[theme.workbenchClass] ?? 'body').waitFor({ state: 'attached', timeout: 30_000 });
    // The editor group: its title bar (tab and actions) and the panel below it.
    await page.locator('.editor-group-container.active').screenshot({ path: path.join(repoRoot, 'docs', 'screenshots', `one-toolbar-${slug}.png`) });
  }
  await setNamedColorTheme(page, THEMES.dark);
}
