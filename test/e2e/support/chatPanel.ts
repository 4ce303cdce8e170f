// The Session Chat panel as a user sees it: found by roles and labels inside the webview's two iframes.
import type { FrameLocator, Locator, Page } from 'playwright-core';
import { pollUntil } from './poll.ts';
import { runCommand } from './workbench.ts';

/**
 * The panel's outer iframe. Webview *views* (the side bar) carry `purpose=webviewView` in their
 * iframe URL; the editor panel carries none, so this picks the panel even when the view is open too.
 */
const PANEL_IFRAME = 'iframe.webview.ready:not([src*="purpose=webviewView"])';

/** Answers take a while on a loaded machine: the model server is fast, the workbench is not. */
const ANSWER_TIMEOUT_MS = 60_000;

/** Outer iframe element of the chat panel (for screenshots of the panel alone). */
export function panelElement(page: Page): Locator {
  return page.locator(PANEL_IFRAME).first();
}

/** The document inside the panel: outer iframe, then VS Code's `#active-frame`. */
export function chatFrame(page: Page): FrameLocator {
  return panelElement(page).contentFrame().frameLocator('#active-frame');
}

export function messageBox(page: Page): Locator {
  return chatFrame(page).getByRole('textbox', { name: 'Message' });
}

/** Every message of the list, oldest first. */
export function articles(page: Page): Locator {
  return chatFrame(page).getByRole('log').getByRole('article');
}

export function userArticles(page: Page): Locator {
  return chatFrame(page).getByRole('log').getByRole('article', { name: /^You/ });
}

export function assistantArticles(page: Page): Locator {
  return chatFrame(page).getByRole('log').getByRole('article', { name: /^Assistant/ });
}

export function button(page: Page, name: string): Locator {
  return chatFrame(page).getByRole('button', { name, exact: true });
}

/** Waits until the panel shows its message box (the webview loaded and got its snapshot). */
export async function waitForPanel(page: Page): Promise<void> {
  await messageBox(page).waitFor({ state: 'visible', timeout: ANSWER_TIMEOUT_MS });
  await chatFrame(page).getByRole('log').waitFor({ state: 'attached', timeout: ANSWER_TIMEOUT_MS });
}

/** Waits until the panel rendered a snapshot from the host (the footer names the model), so "empty" means empty. */
export async function waitForSnapshot(page: Page): Promise<void> {
  await waitForPanel(page);
  await chatFrame(page).getByRole('button', { name: /^Model: / }).waitFor({ state: 'visible', timeout: ANSWER_TIMEOUT_MS });
}

/** Types `text` into the message box and presses Send. */
export async function typeAndSend(page: Page, text: string): Promise<void> {
  const box = messageBox(page);
  await box.click();
  await box.fill('');
  await box.pressSequentially(text);
  const send = button(page, 'Send');
  await pollUntil(() => send.isEnabled({ timeout: 1_000 }), { message: 'the Send button to become enabled', timeoutMs: 15_000 });
  await send.click();
}

/** Sends `text` and waits for the test model's complete answer to it; returns the answer's text. */
export async function sendAndWaitForAnswer(page: Page, text: string): Promise<string> {
  const before = await assistantArticles(page).count();
  await typeAndSend(page, text);
  return waitForAnswer(page, text, before);
}

/**
 * Waits for a new assistant message (beyond the `before` already shown) that echoes `text` and has
 * the test model's closing line, and for the panel to be idle again (Send is back, Stop gone).
 */
export async function waitForAnswer(page: Page, text: string, before: number): Promise<string> {
  const answer = await pollUntil(
    async () => {
      const all = assistantArticles(page);
      if ((await all.count()) <= before) return undefined;
      const last = await all.last().innerText({ timeout: 5_000 });
      return last.includes(`Echo: ${text}`) && /I was sent \d+ messages?/.test(last) ? last : undefined;
    },
    { message: `the answer to "${text}"`, timeoutMs: ANSWER_TIMEOUT_MS },
  );
  await waitForIdle(page);
  return answer;
}

/** No request is running: the Stop button is gone or disabled. */
export async function waitForIdle(page: Page): Promise<void> {
  const stop = button(page, 'Stop');
  // isEnabled() waits for the element: a Stop button removed meanwhile must not stall the poll.
  const running = async () => (await stop.isVisible()) && (await stop.isEnabled({ timeout: 1_000 }).catch(() => false));
  await pollUntil(async () => !(await running()), {
    message: 'the panel to finish the running request (Stop gone)',
    timeoutMs: ANSWER_TIMEOUT_MS,
  });
}

/**
 * The user messages the panel shows, oldest first, read from what a screen reader announces
 * (`aria-label` "You said: <text>"), so the visible author line does not get in the way.
 */
export async function userTexts(page: Page): Promise<string[]> {
  const labels = await userArticles(page).evaluateAll((nodes) => nodes.map((node) => node.getAttribute('aria-label') ?? ''));
  return labels.map((label) => label.replace(/^You( said)?:?\s*/, '').trim());
}

/** Brings the window forward, opens the chat from the palette and waits until it shows a settled snapshot. */
export async function openChatSettled(page: Page): Promise<void> {
  await page.bringToFront();
  await runCommand(page, 'Session Chat: Open Chat');
  await waitForSnapshot(page);
  await waitForIdle(page);
}
