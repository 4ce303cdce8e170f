// Screenshots of the panel in a light and a dark theme, for a person to look at.
import path from 'node:path';
import { artifactsDir } from '../support/environment.ts';
import type { E2eEnvironment } from '../support/environment.ts';
import { chatFrame, panelElement, sendAndWaitForAnswer } from '../support/chatPanel.ts';
import { THEMES, setColorTheme } from '../support/workbench.ts';

/**
 * Switches theme from the palette and saves the window and the panel alone, with an answer that
 * holds a code block (the test model adds one when the question says "code").
 */
export async function screenshotsInLightAndDark(env: E2eEnvironment): Promise<string[]> {
  await sendAndWaitForAnswer(env.page, 'Show me some code please');
  const saved: string[] = [];
  for (const [name, theme] of Object.entries(THEMES)) {
    await setColorTheme(env.page, theme);
    // Webviews get the new --vscode-* variables a moment after the workbench: wait until the panel's
    // body names the theme (VS Code sets data-vscode-theme-id and a vscode-light/-dark class on it).
    const frameBody = chatFrame(env.page).locator(`body.vscode-${name}[data-vscode-theme-id="${theme.name}"]`);
    await frameBody.waitFor({ state: 'attached', timeout: 30_000 });
    saved.push(await env.screenshot(`screenshots/window-${name}.png`));
    const panelFile = path.join(artifactsDir, 'screenshots', `panel-${name}.png`);
    await panelElement(env.page).screenshot({ path: panelFile });
    saved.push(panelFile);
  }
  return saved;
}
