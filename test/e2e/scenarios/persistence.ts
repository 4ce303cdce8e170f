// Scenarios 5-6: the panel and its thread survive a reload; each folder has its own history.
import assert from 'node:assert/strict';
import type { E2eEnvironment } from '../support/environment.ts';
import { chatFrame, sendAndWaitForAnswer, userTexts, waitForPanel, waitForSnapshot } from '../support/chatPanel.ts';
import { pollUntil } from '../support/poll.ts';
import { openWorkbench, reloadWorkbench, runCommand } from '../support/workbench.ts';

/** Waits for the panel to show exactly these questions (the restored thread). */
async function waitForQuestions(env: E2eEnvironment, expected: string[], what: string): Promise<void> {
  await pollUntil(async () => JSON.stringify(await userTexts(env.page)) === JSON.stringify(expected), {
    message: `${what}: ${JSON.stringify(expected)}`,
    timeoutMs: 60_000,
  });
}

/** 5. Reloading the window brings the panel back by itself, on the same thread. */
export async function reloadRestoresPanel(env: E2eEnvironment): Promise<void> {
  const before = await userTexts(env.page);
  assert.ok(before.length > 0, 'the thread has questions to restore');
  await reloadWorkbench(env.page);
  // No command: the panel serializer must restore the panel and its thread.
  await waitForPanel(env.page);
  await waitForQuestions(env, before, 'the restored panel to show the same questions');
}

/**
 * 6. Another folder shows an empty history (none of the first folder's questions); going back to
 * the first folder shows its thread again.
 */
export async function foldersKeepTheirOwnThreads(env: E2eEnvironment): Promise<void> {
  const first = await userTexts(env.page);
  assert.ok(first.length > 0, 'the first folder has a history');

  await openWorkbench(env.page, env.folderUrl(env.otherFolder));
  await runCommand(env.page, 'Session Chat: Open Chat');
  await waitForSnapshot(env.page);
  await chatFrame(env.page).getByText('Start a conversation').waitFor({ state: 'visible', timeout: 30_000 });
  assert.deepEqual(await userTexts(env.page), [], 'another folder starts empty');

  const here = 'A question in the other folder';
  await sendAndWaitForAnswer(env.page, here);
  assert.deepEqual(await userTexts(env.page), [here], 'only this folder\'s question shows');

  await openWorkbench(env.page, env.folderUrl(env.folder));
  await waitForPanel(env.page);
  await waitForQuestions(env, first, 'the first folder\'s thread to come back');
}
