// Scenario 14: a thread goes out as JSON through the palette and the save dialog, is deleted, and
// comes back through the palette and the open dialog with the same turns; a second import adds nothing.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import type { E2eEnvironment } from '../support/environment.ts';
import { openChatSettled, sendAndWaitForAnswer, userTexts } from '../support/chatPanel.ts';
import { openSessionsDb, threadIds } from '../support/database.ts';
import { pollUntil } from '../support/poll.ts';
import { quickInputBox, runCommand } from '../support/workbench.ts';

/**
 * Answers VS Code's own file dialog as code-server shows it (the simple dialog: a quick input
 * holding a path): replaces the path with `file` and accepts.
 */
async function answerFileDialog(page: Page, file: string): Promise<void> {
  const box = quickInputBox(page);
  await box.waitFor({ state: 'visible', timeout: 30_000 });
  // The dialog fills in a folder first; wait for it, so the path typed below is not overwritten.
  await pollUntil(async () => (await box.inputValue()).startsWith('/'), { message: 'the file dialog to show a path', timeoutMs: 30_000 });
  await box.fill(file);
  // The dialog completes paths as they are typed; let it settle on the typed one.
  await pollUntil(async () => (await box.inputValue()) === file, { message: `the dialog to hold ${file}`, timeoutMs: 10_000 });
  // The dialog's own button (OK, or the command's open label), not Enter: Enter in the simple
  // dialog may act on its list (e.g. "..") instead of the path.
  await page.locator('.quick-input-widget').getByRole('button', { name: /^(OK|Export|Import)$/ }).click();
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 30_000 });
}

/** The notification whose text matches, found among the toasts VS Code shows. */
function notification(page: Page, text: RegExp) {
  return page.locator('.notification-toast').filter({ hasText: text }).first();
}

/** 14. Export Thread as JSON, Delete Thread, Import History...: the thread is back, once. */
export async function exportDeleteImport(env: E2eEnvironment): Promise<void> {
  const { page } = env;
  await openChatSettled(page);
  await runCommand(page, 'Session Chat: New Thread');
  const questions = ['Travelling question one', 'Travelling question two'];
  for (const question of questions) await sendAndWaitForAnswer(page, question);
  assert.deepEqual(await userTexts(page), questions);
  const db = openSessionsDb(env.codeServer);
  try {
    const before = threadIds(db);
    const file = path.join(env.otherFolder, 'travelling-thread.json');

    await runCommand(page, 'Session Chat: Export Thread as JSON', { opensPicker: true });
    await answerFileDialog(page, file);
    await pollUntil(() => existsSync(file), { message: `the export at ${file}`, timeoutMs: 30_000 });
    const exported = JSON.parse(readFileSync(file, 'utf8')) as { format: string; threads: Array<{ id: string; title: string }> };
    assert.equal(exported.format, 'session-chat-export');
    assert.equal(exported.threads.length, 1);
    const threadId = exported.threads[0]!.id;
    assert.ok(before.has(threadId), 'the exported thread is the one shown');

    await runCommand(page, 'Session Chat: Delete Thread');
    await page.locator('.monaco-dialog-box').getByRole('button', { name: 'Delete' }).click();
    await pollUntil(() => !threadIds(db).has(threadId), { message: 'the thread to be deleted', timeoutMs: 30_000 });
    await pollUntil(async () => !(await userTexts(page)).includes(questions[0]!), { message: 'the panel to leave the deleted thread', timeoutMs: 30_000 });

    await runCommand(page, 'Session Chat: Import History...', { opensPicker: true });
    await answerFileDialog(page, file);
    const imported = notification(page, /Imported 1 thread, \d+ items into this workspace/);
    await imported.waitFor({ state: 'visible', timeout: 60_000 });
    await imported.getByRole('button', { name: 'Open Thread' }).click();
    await pollUntil(async () => JSON.stringify(await userTexts(page)) === JSON.stringify(questions), {
      message: 'the panel to show the imported thread with its questions',
      timeoutMs: 60_000,
    });
    assert.ok(threadIds(db).has(threadId), 'the thread is back under its own id');

    const count = threadIds(db).size;
    await runCommand(page, 'Session Chat: Import History...', { opensPicker: true });
    await answerFileDialog(page, file);
    await notification(page, /Imported nothing new; 1 thread was already here/).waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(threadIds(db).size, count, 'a second import adds no thread');
    await runCommand(page, 'Session Chat: Switch Thread', { opensPicker: true });
    const rows = page.locator('.quick-input-widget .monaco-list-row').filter({ hasText: /Travelling question/ });
    await rows.first().waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await rows.count(), 1, 'Switch Thread lists the thread once');
    await page.keyboard.press('Escape');
  } finally {
    db.close();
  }
}
