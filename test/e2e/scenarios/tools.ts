// Scenario 16 and screenshots: attach a selection, let the model read the workspace through an
// approved tool call, see a blocked file refused without asking, and undo the whole turn.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { artifactsDir, type E2eEnvironment } from '../support/environment.ts';
import { assistantArticles, button, chatFrame, panelElement, typeAndSend, userArticles, waitForAnswer, waitForIdle, waitForSnapshot } from '../support/chatPanel.ts';
import type { LoggedRequest } from '../support/harness.ts';
import { modelRequests } from '../support/modelLog.ts';
import { pollUntil } from '../support/poll.ts';
import { HIGH_CONTRAST, THEMES, openWorkbench, pickRow, quickInputBox, runCommand, setNamedColorTheme, type NamedTheme } from '../support/workbench.ts';

const SOURCE = ['export function total(prices: number[]): number {', '  const sum = prices.reduce((a, b) => a + b, 0);', '  return Math.round(sum * 100) / 100;', '}', ''].join('\n');
const SECRET = 'E2E_SECRET=never-leaves-the-machine';

/** The scratch files of the scenario: a source file to select from, and a secret the tools must never read. */
function writeScratch(env: E2eEnvironment): void {
  mkdirSync(path.join(env.folder, 'src'), { recursive: true });
  writeFileSync(path.join(env.folder, 'src', 'total.ts'), SOURCE);
  writeFileSync(path.join(env.folder, '.env'), `${SECRET}\n`);
}

/** Opens a workspace file through Go to File. */
async function openFile(page: Page, name: string): Promise<void> {
  await runCommand(page, 'Go to File...', { opensPicker: true });
  await quickInputBox(page).fill(name);
  assert.ok(await pickRow(page, name), `${name} in Go to File`);
  await page.locator('.monaco-editor .view-lines').filter({ hasText: 'export function total' }).first().waitFor({ state: 'visible', timeout: 30_000 });
}

/** Selects whole lines `from`..`to` of the active editor with the keyboard (Go to Line, then Shift+Down/End). */
async function selectLines(page: Page, from: number, to: number): Promise<void> {
  await runCommand(page, 'Go to Line/Column...', { opensPicker: true });
  await quickInputBox(page).fill(`:${from}`);
  await page.keyboard.press('Enter');
  await page.keyboard.press('Home');
  for (let line = from; line < to; line++) await page.keyboard.press('Shift+ArrowDown');
  await page.keyboard.press('Shift+End');
}

/** Every input item or message of a request, as JSON text, for "does it carry …" checks. */
function carried(request: LoggedRequest): string {
  const body = request.body as Record<string, unknown>;
  return JSON.stringify(body.input ?? body.messages);
}

/** The model requests sent after `before` requests had been logged. */
async function requestsSince(env: E2eEnvironment, before: number): Promise<LoggedRequest[]> {
  return (await modelRequests(env.model)).slice(before);
}

function chip(page: Page, name: string) {
  return chatFrame(page).getByRole('list', { name: 'Attachments' }).getByRole('listitem').filter({ hasText: name });
}

/**
 * 16. Select text, Add Selection to Chat, send: the request carries the selection with its path
 * and lines, and the panel shows the chip. The model asks for README.md: the panel shows the call,
 * Allow sends the file's content back; a second call for .env is refused without asking; Undo Last
 * Turn removes the question, the calls and the answer from the next request.
 */
export async function attachSelectionAndApproveTool(env: E2eEnvironment): Promise<void> {
  const page = env.page;
  writeScratch(env);
  await page.bringToFront();
  // Earlier scenarios may have left the window on another folder: the tools read the one it shows.
  await openWorkbench(page, env.folderUrl(env.folder));
  await openFile(page, 'total.ts');
  await selectLines(page, 2, 3);
  await runCommand(page, 'Session Chat: Add Selection to Chat');
  await waitForSnapshot(page);
  await chip(page, 'total.ts:2-3').waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await chip(page, 'total.ts:2-3').getAttribute('title'), 'src/total.ts, lines 2-3');
  assert.equal(await button(page, 'Remove total.ts:2-3').count(), 1, 'the chip has its remove button');

  await env.model.next({ calls: [{ name: 'read_file', arguments: { path: 'README.md' } }] });
  await env.model.next({ calls: [{ name: 'read_file', arguments: { path: '.env' } }] });
  const before = (await modelRequests(env.model)).length;
  const answersBefore = await assistantArticles(page).count();
  const question = 'What does this function return?';
  await typeAndSend(page, question);

  // The first request carries the selection, with its path and lines, inside the user's message.
  const [first] = await pollUntil(async () => {
    const sent = await requestsSince(env, before);
    return sent.length >= 1 ? sent : undefined;
  }, { message: 'the first request of the turn', timeoutMs: 30_000 });
  const firstSent = carried(first!);
  assert.match(firstSent, /<attachment kind=\\"selection\\" path=\\"src\/total\.ts\\" language=\\"typescript\\" lines=\\"2-3\\">/);
  // Home goes to the first non-blank character, so the selection starts at `const`.
  assert.ok(firstSent.includes(JSON.stringify('const sum = prices.reduce((a, b) => a + b, 0);\n  return Math.round(sum * 100) / 100;').slice(1, -1)), `the selected lines are sent: ${firstSent}`);

  // The call waits for approval: shown with its arguments; Allow runs it.
  const allow = button(page, 'Allow tool call');
  await allow.waitFor({ state: 'visible', timeout: 30_000 });
  assert.match(await chatFrame(page).locator('.approval-card').innerText(), /read_file[\s\S]*"path": "README\.md"/);
  assert.equal(await button(page, 'Deny tool call').count(), 1);
  assert.equal(await button(page, 'Always allow read_file in this workspace').count(), 1);
  assert.equal((await requestsSince(env, before)).length, 1, 'nothing more is sent while the call waits');
  await allow.click();

  await waitForAnswer(page, question, answersBefore);
  const turn = await requestsSince(env, before);
  assert.equal(turn.length, 3, 'the question, the README round and the .env round');
  assert.ok(carried(turn[1]!).includes('A folder opened by the end-to-end suite.'), 'Allow sent the README\'s content in the next request');
  assert.match(carried(turn[2]!), /\.env is blocked by the setting sessionChat\.tools\.blockedFiles/);
  assert.ok(!JSON.stringify(await env.model.requests()).includes('never-leaves-the-machine'), 'the secret was never sent');
  assert.equal(await allow.count(), 0, '.env was refused without asking');

  // The history shows the attachment as a chip that opens to its content, and the calls.
  const asked = userArticles(page).last();
  const sentChip = asked.locator('.sent-attachment summary').filter({ hasText: 'total.ts:2-3' });
  await sentChip.waitFor({ state: 'visible', timeout: 10_000 });
  assert.ok(!(await asked.locator('.user-text').innerText()).includes('<attachment'), 'no raw attachment text in the message');
  await sentChip.click();
  await asked.locator('.sent-attachment pre').filter({ hasText: 'prices.reduce' }).waitFor({ state: 'visible', timeout: 10_000 });
  assert.equal(await chip(page, 'total.ts:2-3').count(), 0, 'the message box has no attachment left');
  assert.equal(await assistantArticles(page).last().locator('.tool-call').count(), 2);

  // Undo removes the question, both calls and the answer from what the model is sent next.
  await runCommand(page, 'Session Chat: Undo Last Turn');
  await pollUntil(async () => (await userArticles(page).count()) === 0 || !(await userArticles(page).last().innerText()).includes(question), { message: 'the undone turn to vanish' });
  const next = 'After undo, anything left?';
  const beforeNext = (await modelRequests(env.model)).length;
  const answersNow = await assistantArticles(page).count();
  await typeAndSend(page, next);
  await waitForAnswer(page, next, answersNow);
  const [after] = await requestsSince(env, beforeNext);
  const afterSent = carried(after!);
  for (const gone of [question, 'read_file', 'function_call', 'README.md', 'blockedFiles', 'Echo: What does this function return?']) {
    assert.ok(!afterSent.includes(gone), `the next request no longer carries ${gone}`);
  }
}

const webviewThemeClass: Record<string, string> = {
  'vs': 'body.vscode-light',
  'vs-dark': 'body.vscode-dark',
  'hc-black': 'body.vscode-high-contrast:not(.vscode-high-contrast-light)',
};

/** Screenshots of the chips, a call awaiting approval and a finished one, in light, dark and high contrast. */
export async function toolScreenshotsInThemes(env: E2eEnvironment): Promise<string[]> {
  const page = env.page;
  writeScratch(env);
  const dir = path.join(artifactsDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const saved: string[] = [];
  const themes: Record<string, NamedTheme> = { light: THEMES.light, dark: THEMES.dark, hc: HIGH_CONTRAST };
  // A thread of its own: the one shown before may be the 50,000-turn thread, which every request
  // would send whole (minutes of the suite), and the screenshots should show the tools, not it.
  await runCommand(page, 'Session Chat: New Thread');
  for (const [name, theme] of Object.entries(themes)) {
    await setNamedColorTheme(page, theme);
    await openFile(page, 'total.ts');
    await selectLines(page, 1, 4);
    await runCommand(page, 'Session Chat: Add Selection to Chat');
    await waitForSnapshot(page);
    await chatFrame(page).locator(webviewThemeClass[theme.workbenchClass]!).waitFor({ state: 'attached', timeout: 30_000 });
    await chip(page, 'total.ts:1-4').waitFor({ state: 'visible', timeout: 30_000 });
    await page.mouse.move(700, (page.viewportSize()?.height ?? 900) - 8);
    const chips = path.join(dir, `tools-chips-${name}.png`);
    await panelElement(page).screenshot({ path: chips });
    saved.push(chips);

    await env.model.next({ calls: [{ name: 'search_text', arguments: { query: 'reduce', glob: 'src/**' } }] });
    const answers = await assistantArticles(page).count();
    const question = `Where is reduce used? (${name})`;
    await typeAndSend(page, question);
    const allow = button(page, 'Allow tool call');
    await allow.waitFor({ state: 'visible', timeout: 30_000 });
    const waiting = path.join(dir, `tools-approval-${name}.png`);
    await panelElement(page).screenshot({ path: waiting });
    saved.push(waiting);
    await allow.click();
    await waitForAnswer(page, question, answers);
    await waitForIdle(page);
    await assistantArticles(page).last().locator('.tool-call summary').first().click();
    await userArticles(page).last().locator('.sent-attachment summary').first().click();
    await page.mouse.move(700, (page.viewportSize()?.height ?? 900) - 8);
    const finished = path.join(dir, `tools-finished-${name}.png`);
    await panelElement(page).screenshot({ path: finished });
    saved.push(finished);
  }
  await setNamedColorTheme(page, THEMES.dark);
  return saved;
}
