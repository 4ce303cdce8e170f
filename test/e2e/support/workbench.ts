// The VS Code workbench as a user drives it: wait for it, run palette commands, switch themes.
import type { Page } from 'playwright-core';
import { pollUntil } from './poll.ts';

/** code-server on 2 busy cores can take a while to paint the workbench and start extensions. */
const WORKBENCH_TIMEOUT_MS = 120_000;

/** Waits until the workbench is painted and the command palette can be used. */
export async function waitForWorkbench(page: Page): Promise<void> {
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
  // The status bar is painted late in startup; before it, F1 is sometimes swallowed.
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: WORKBENCH_TIMEOUT_MS });
}

/** Opens `url` (e.g. `?folder=/x`) and waits for the workbench. */
export async function openWorkbench(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await waitForWorkbench(page);
}

/** Reloads the browser tab, like the user pressing F5 on code-server, and waits for the workbench. */
export async function reloadWorkbench(page: Page): Promise<void> {
  await page.reload({ waitUntil: 'domcontentloaded' });
  await waitForWorkbench(page);
}

function quickInput(page: Page) {
  return page.locator('.quick-input-widget');
}

/** Presses F1 until the command palette shows (focus may sit in a webview that is still loading). */
async function openPalette(page: Page): Promise<void> {
  await pollUntil(
    async () => {
      if (await quickInput(page).isVisible()) return true;
      await page.keyboard.press('F1');
      await quickInput(page).waitFor({ state: 'visible', timeout: 3_000 });
      return true;
    },
    { message: 'the command palette to open after F1', timeoutMs: 30_000, intervalMs: 500 },
  );
}

/**
 * Runs a command the way a user does: F1, type its title, Enter on the highlighted row.
 * Falls back to clicking the row when another command sorts first (e.g. recently used ones).
 */
export async function runCommand(page: Page, title: string): Promise<void> {
  await openPalette(page);
  const input = quickInput(page).locator('input');
  await input.fill('>');
  await input.pressSequentially(title);
  await pickRow(page, title);
  await quickInput(page).waitFor({ state: 'hidden', timeout: 15_000 });
}

/** Chooses the row labelled `label` in the open quick input (palette or a quick pick). */
export async function pickRow(page: Page, label: string): Promise<void> {
  const row = quickInput(page).getByRole('option', { name: label }).first();
  await row.waitFor({ state: 'visible', timeout: 30_000 });
  const focused = quickInput(page).locator('.monaco-list-row.focused');
  const focusedText = (await focused.count()) > 0 ? await focused.first().innerText() : '';
  if (focusedText.includes(label)) await page.keyboard.press('Enter');
  else await row.click();
}

/** Theme names shipped with VS Code, and the class the workbench then carries. */
export const THEMES = {
  light: { name: 'Default Light Modern', workbenchClass: 'vs' },
  dark: { name: 'Default Dark Modern', workbenchClass: 'vs-dark' },
} as const;

/** Switches the colour theme through "Preferences: Color Theme" and waits for it to apply. */
export async function setColorTheme(page: Page, theme: (typeof THEMES)[keyof typeof THEMES]): Promise<void> {
  await runCommandKeepingPicker(page, 'Preferences: Color Theme');
  const input = quickInput(page).locator('input');
  await input.fill(theme.name);
  await pickRow(page, theme.name);
  await quickInput(page).waitFor({ state: 'hidden', timeout: 15_000 });
  await page.locator(`.monaco-workbench.${theme.workbenchClass}`).waitFor({ state: 'attached', timeout: 30_000 });
}

/** Like runCommand, for commands that answer with a quick pick of their own. */
async function runCommandKeepingPicker(page: Page, title: string): Promise<void> {
  await openPalette(page);
  const input = quickInput(page).locator('input');
  await input.fill('>');
  await input.pressSequentially(title);
  await pickRow(page, title);
  // The theme picker replaces the palette in the same widget: wait for the palette text to go.
  await pollUntil(async () => !(await input.inputValue()).startsWith('>'), { message: `the picker of "${title}"`, timeoutMs: 15_000 });
}
