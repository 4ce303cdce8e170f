// Scenario 17 and screenshots: two agents from settings answer in one thread, each labelled, the
// second seeing the first's answer; the model picker, the usage hover and the context meter.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { artifactsDir, type E2eEnvironment } from '../support/environment.ts';
import { assistantArticles, chatFrame, openChatSettled, panelElement, typeAndSend, waitForAnswer, waitForIdle, waitForSnapshot } from '../support/chatPanel.ts';
import type { LoggedRequest } from '../support/harness.ts';
import { modelRequests } from '../support/modelLog.ts';
import { pollUntil } from '../support/poll.ts';
import { HIGH_CONTRAST, THEMES, quickInputBox, runCommand, setNamedColorTheme, type NamedTheme } from '../support/workbench.ts';

const AGENTS = [
  { name: 'support', instructions: 'You are the support agent. Help with accounts and passwords.' },
  { name: 'billing', instructions: 'You are the billing agent. Answer questions about invoices.' },
];

/**
 * Changes user settings the way a user does: *Preferences: Open User Settings (JSON)*, the whole
 * text replaced, saved and closed (code-server does not notice the file changed behind its back).
 * `undefined` removes a key. The chat panel is shown again afterwards.
 */
export async function updateUserSettings(env: E2eEnvironment, patch: Record<string, unknown>): Promise<void> {
  const page = env.page;
  const file = path.join(env.codeServer.userDataDir, 'User', 'settings.json');
  const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) delete settings[key];
    else settings[key] = value;
  }
  // One line: the editor would indent every new line again on top of the text's own indentation.
  const text = JSON.stringify(settings);
  await runCommand(page, 'Preferences: Open User Settings (JSON)');
  const editor = page.locator('.editor-instance .monaco-editor').filter({ has: page.locator('.view-lines') }).first();
  await editor.waitFor({ state: 'visible', timeout: 30_000 });
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
  // The editor closes the opening brace as it is typed: what it added after the text goes.
  await page.keyboard.press('ControlOrMeta+Shift+End');
  await page.keyboard.press('Delete');
  await page.keyboard.press('ControlOrMeta+S');
  await pollUntil(async () => JSON.stringify(JSON.parse(readFileSync(file, 'utf8'))) === JSON.stringify(settings), { message: 'settings.json saved', timeoutMs: 15_000 });
  // VS Code opens settings.json in a modal editor over the workbench: Escape (or its ×) closes it.
  const modal = page.locator('.monaco-workbench .modal-editor-part, .monaco-workbench [class*="modal-editor"]').first();
  await page.keyboard.press('Escape');
  if (await modal.isVisible().catch(() => false)) await page.keyboard.press('Escape');
  if (await modal.isVisible().catch(() => false)) await runCommand(page, 'View: Close Editor');
  await runCommand(page, 'Session Chat: Open Chat');
  await waitForSnapshot(page);
}

function agentPicker(page: Page): Locator {
  return chatFrame(page).getByRole('combobox', { name: 'Agent' });
}

function agentLabel(answer: Locator): Locator {
  return answer.locator('.agent-label');
}

/** The model requests logged after the first `before`. */
async function requestsSince(env: E2eEnvironment, before: number): Promise<LoggedRequest[]> {
  return (await modelRequests(env.model)).slice(before);
}

/** Sends `text` and waits for its answer; returns that answer's article. */
async function ask(page: Page, text: string): Promise<Locator> {
  const before = await assistantArticles(page).count();
  await typeAndSend(page, text);
  await waitForAnswer(page, text, before);
  await waitForIdle(page);
  return assistantArticles(page).last();
}

/**
 * 17. Two agents defined in settings answer in one thread: the first picked in the composer's agent
 * picker, the second addressed with `@billing`. Each answer is labelled with its agent, each request
 * carries its agent's instructions, and the second request's history carries the first's answer.
 */
export async function twoAgentsShareAThread(env: E2eEnvironment): Promise<void> {
  const page = env.page;
  await openChatSettled(page);
  await runCommand(page, 'Session Chat: New Thread');
  await waitForSnapshot(page);
  await updateUserSettings(env, { 'sessionChat.agents': AGENTS });
  const picker = agentPicker(page);
  await picker.waitFor({ state: 'visible', timeout: 30_000 });
  await picker.selectOption('support');
  await pollUntil(async () => (await picker.inputValue()) === 'support', { message: 'the picker to show support' });

  const before = (await modelRequests(env.model)).length;
  const first = await ask(page, 'My password does not work.');
  await pollUntil(async () => (await agentLabel(first).count()) === 1, { message: 'the first answer labelled' });
  assert.equal(await agentLabel(first).innerText(), '@support');
  const second = await ask(page, '@billing Why was I charged twice?');
  await pollUntil(async () => (await agentLabel(second).count()) === 1, { message: 'the second answer labelled' });
  assert.equal(await agentLabel(second).innerText(), '@billing');
  assert.equal(await agentLabel(assistantArticles(page).nth(-2)).innerText(), '@support', 'the first answer keeps its label');

  const [asked, addressed] = await requestsSince(env, before);
  const body = (request: LoggedRequest | undefined) => (request?.body ?? {}) as Record<string, unknown>;
  assert.equal(body(asked).instructions, AGENTS[0]!.instructions);
  assert.equal(body(addressed).instructions, AGENTS[1]!.instructions);
  const history = JSON.stringify(body(addressed).input ?? body(addressed).messages);
  assert.ok(history.includes('Echo: My password does not work.'), `the second request carries the first answer: ${history}`);
  assert.ok(history.includes('@billing Why was I charged twice?'), 'and the question as typed');
  // The picker keeps its choice: @name was for that one message.
  assert.equal(await picker.inputValue(), 'support');
}

const webviewThemeClass: Record<string, string> = {
  'vs': 'body.vscode-light',
  'vs-dark': 'body.vscode-dark',
  'hc-black': 'body.vscode-high-contrast:not(.vscode-high-contrast-light)',
};

/**
 * Screenshots in light, dark and high contrast: an agent-labelled answer with its usage card open,
 * the context meter near its limit with the warning, and Select Model's groups.
 */
export async function modelScreenshotsInThemes(env: E2eEnvironment): Promise<string[]> {
  const page = env.page;
  const dir = path.join(artifactsDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const saved: string[] = [];
  const themes: Record<string, NamedTheme> = { light: THEMES.light, dark: THEMES.dark, hc: HIGH_CONTRAST };
  await updateUserSettings(env, { 'sessionChat.agents': AGENTS });
  await openChatSettled(page);
  for (const [name, theme] of Object.entries(themes)) {
    await setNamedColorTheme(page, theme);
    await runCommand(page, 'Session Chat: New Thread');
    await waitForSnapshot(page);
    await chatFrame(page).locator(webviewThemeClass[theme.workbenchClass]!).waitFor({ state: 'attached', timeout: 30_000 });
    await agentPicker(page).selectOption('');
    await ask(page, 'How do I export my invoices?');
    const answer = await ask(page, '@billing And where do I find last year\'s?');
    await pollUntil(async () => (await agentLabel(answer).count()) === 1, { message: 'the labelled answer' });
    const info = answer.getByRole('button', { name: 'Tokens and model of this answer' });
    await info.hover();
    await answer.locator('.hover-card').filter({ hasText: 'Input' }).waitFor({ state: 'visible', timeout: 10_000 });
    const usage = path.join(dir, `agents-usage-${name}.png`);
    await panelElement(page).screenshot({ path: usage });
    saved.push(usage);

    // A small window (the four tools' definitions alone take about 530 tokens of it): the meter is
    // near its limit and the panel offers Compact Thread.
    await updateUserSettings(env, { 'sessionChat.contextWindow': 900 });
    await chatFrame(page).getByRole('button', { name: 'Compact Thread' }).waitFor({ state: 'visible', timeout: 30_000 });
    await page.mouse.move(700, (page.viewportSize()?.height ?? 900) - 8);
    const meter = path.join(dir, `context-meter-${name}.png`);
    await panelElement(page).screenshot({ path: meter });
    saved.push(meter);
    await updateUserSettings(env, { 'sessionChat.contextWindow': undefined });

    await runCommand(page, 'Session Chat: Select Model', { opensPicker: true });
    await quickInputBox(page).waitFor({ state: 'visible' });
    const picker = path.join(dir, `model-picker-${name}.png`);
    await page.screenshot({ path: picker });
    saved.push(picker);
    await page.keyboard.press('Escape');
  }
  await updateUserSettings(env, { 'sessionChat.agents': undefined });
  await setNamedColorTheme(page, THEMES.dark);
  return saved;
}
