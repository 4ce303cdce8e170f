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
 * Extension commands (and themes) only show once the extension host has scanned the extensions,
 * which can take half a minute after the workbench paints on a busy machine; the palette does not
 * refresh an open list, so it is closed and opened again until the command is there.
 * Resolves when the palette has closed, or with `opensPicker` when the command's own quick pick
 * has replaced it, with the `Date.now()` at which the command's row was chosen (for timings that
 * should start at the command, not at the typing of its title).
 */
export async function runCommand(page: Page, title: string, { opensPicker = false } = {}): Promise<number> {
  const input = quickInput(page).locator('input');
  let chosenAt = 0;
  await pollUntil(
    async () => {
      await openPalette(page);
      await input.fill('>');
      await input.pressSequentially(title);
      const chosen = await pickRow(page, title, 8_000);
      if (chosen) {
        chosenAt = chosen;
        return true;
      }
      await page.keyboard.press('Escape');
      return false;
    },
    { message: `the command "${title}" in the palette`, timeoutMs: 120_000, intervalMs: 1_000 },
  );
  if (opensPicker) {
    await pollUntil(async () => !(await input.inputValue()).startsWith('>'), { message: `the picker of "${title}"`, timeoutMs: 15_000 });
  } else {
    await quickInput(page).waitFor({ state: 'hidden', timeout: 15_000 });
  }
  return chosenAt;
}

/**
 * Chooses the row labelled `label` in the open quick input (palette or a quick pick): Enter when it
 * is the highlighted row, else a click. Returns false when no such row showed within `timeoutMs`,
 * else the Date.now() just before the Enter or click.
 */
export async function pickRow(page: Page, label: string, timeoutMs = 30_000): Promise<number | false> {
  const row = quickInput(page).getByRole('option', { name: label }).first();
  const shown = await row.waitFor({ state: 'visible', timeout: timeoutMs }).then(() => true, () => false);
  if (!shown) return false;
  const focused = quickInput(page).locator('.monaco-list-row.focused');
  const focusedText = (await focused.count()) > 0 ? await focused.first().innerText() : '';
  const chosenAt = Date.now();
  if (focusedText.includes(label)) await page.keyboard.press('Enter');
  else await row.click();
  return chosenAt;
}

/**
 * Themes shipped with VS Code 1.139 (labels as its theme picker shows them; older releases called
 * them "Default Light Modern" / "Default Dark Modern"), with the class the workbench then carries.
 */
export const THEMES = {
  light: { name: 'Light Modern', workbenchClass: 'vs' },
  dark: { name: 'Dark Modern', workbenchClass: 'vs-dark' },
} as const;

/** One of {@link THEMES}. */
export type Theme = (typeof THEMES)[keyof typeof THEMES];

/** Switches the colour theme through "Preferences: Color Theme" and waits for it to apply. */
export async function setColorTheme(page: Page, theme: Theme): Promise<void> {
  await pollUntil(
    async () => {
      await runCommand(page, 'Preferences: Color Theme', { opensPicker: true });
      await quickInput(page).locator('input').fill(theme.name);
      if (await pickRow(page, theme.name, 8_000)) return true;
      await page.keyboard.press('Escape');
      return false;
    },
    { message: `the theme "${theme.name}" in the theme picker`, timeoutMs: 120_000, intervalMs: 1_000 },
  );
  await quickInput(page).waitFor({ state: 'hidden', timeout: 15_000 });
  await page.locator(`.monaco-workbench.${theme.workbenchClass}`).waitFor({ state: 'attached', timeout: 30_000 });
}

/**
 * Any colour theme by the label its picker shows, e.g. VS Code 1.139's high contrast theme: label
 * "Dark High Contrast" (its id is still "Default High Contrast"), workbench class `hc-black`.
 */
export interface NamedTheme {
  name: string;
  workbenchClass: string;
}

export const HIGH_CONTRAST: NamedTheme = { name: 'Dark High Contrast', workbenchClass: 'hc-black' };

/** {@link setColorTheme} for any {@link NamedTheme}. */
export async function setNamedColorTheme(page: Page, theme: NamedTheme): Promise<void> {
  await setColorTheme(page, theme as unknown as Theme);
}

/** The rows of the open quick pick (command palette or an extension's pick), top first. */
export function quickPickRows(page: Page) {
  return quickInput(page).locator('.quick-input-list .monaco-list-row');
}

/** The text box of the open quick input. */
export function quickInputBox(page: Page) {
  return quickInput(page).locator('input');
}
