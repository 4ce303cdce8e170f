// Scenarios 1-4: open the panel, chat, Undo and Redo from the command palette.
import assert from 'node:assert/strict';
import type { E2eEnvironment } from '../support/environment.ts';
import {
  articles,
  assistantArticles,
  chatFrame,
  messageBox,
  sendAndWaitForAnswer,
  userTexts,
  waitForIdle,
  waitForSnapshot,
} from '../support/chatPanel.ts';
import { requestFor, userTextsSent } from '../support/modelLog.ts';
import { pollUntil } from '../support/poll.ts';
import { runCommand } from '../support/workbench.ts';

/** True when the panel lists a user message with exactly this text. */
async function shows(env: E2eEnvironment, text: string): Promise<boolean> {
  return (await userTexts(env.page)).includes(text);
}

/** The model request for `text` must exist; returns the user messages it carried. */
async function historySentWith(env: E2eEnvironment, text: string): Promise<string[]> {
  const request = await pollUntil(() => requestFor(env.model, text), { message: `a model request for "${text}"`, timeoutMs: 10_000 });
  return userTextsSent(request);
}

/** 1. F1, "Session Chat: Open Chat", Enter: the panel opens in the editor area with its message box. */
export async function opensFromPalette(env: E2eEnvironment): Promise<void> {
  await runCommand(env.page, 'Session Chat: Open Chat');
  await waitForSnapshot(env.page);
  // A new folder starts with an empty thread: the friendly empty state, no messages.
  await chatFrame(env.page).getByText('Start a conversation').waitFor({ state: 'visible', timeout: 30_000 });
  assert.equal(await articles(env.page).count(), 0, 'a new workspace starts with an empty thread');
}

/** 2. Type a question, press Send, see the streamed answer; the box is cleared for the next one. */
export async function sendsAndStreams(env: E2eEnvironment): Promise<void> {
  const question = 'Hello from the end-to-end suite';
  const answer = await sendAndWaitForAnswer(env.page, question);
  assert.match(answer, /Echo: Hello from the end-to-end suite/);
  assert.equal(await messageBox(env.page).inputValue(), '', 'the message box is emptied after sending');
  assert.deepEqual(await historySentWith(env, question), [question], 'the first request carries just the question');
}

/**
 * 3. Undo Last Turn removes the question and its answer from the panel, and the next request
 * no longer carries them.
 */
export async function undoRemovesTurn(env: E2eEnvironment): Promise<void> {
  const kept = 'Alpha question stays';
  const undone = 'Beta question goes away';
  await sendAndWaitForAnswer(env.page, kept);
  await sendAndWaitForAnswer(env.page, undone);
  assert.ok(await shows(env, undone));

  await runCommand(env.page, 'Session Chat: Undo Last Turn');
  await pollUntil(async () => !(await shows(env, undone)), { message: 'the undone question to vanish from the panel' });
  const answers = await assistantArticles(env.page).allInnerTexts();
  assert.ok(!answers.some((text) => text.includes(`Echo: ${undone}`)), 'the undone answer vanished too');
  assert.ok(await shows(env, kept), 'the turn before it stays');

  const next = 'Gamma question after undo';
  await sendAndWaitForAnswer(env.page, next);
  const sent = await historySentWith(env, next);
  assert.ok(sent.includes(kept), `the model still gets the earlier turn: ${JSON.stringify(sent)}`);
  assert.ok(!sent.includes(undone), `the model no longer gets the undone turn: ${JSON.stringify(sent)}`);
}

/** 4. Undo then Redo Last Turn brings the turn back, in the panel and in what the model is sent. */
export async function redoRestoresTurn(env: E2eEnvironment): Promise<void> {
  const texts = await userTexts(env.page);
  const last = texts.at(-1);
  assert.ok(last, 'the thread has a turn to undo');
  await runCommand(env.page, 'Session Chat: Undo Last Turn');
  await pollUntil(async () => (await userTexts(env.page)).length === texts.length - 1, { message: 'the last turn to vanish' });

  await runCommand(env.page, 'Session Chat: Redo Last Turn');
  await pollUntil(async () => (await userTexts(env.page)).length === texts.length, { message: 'Redo to bring the turn back' });
  await waitForIdle(env.page);
  assert.deepEqual(await userTexts(env.page), texts, 'the same questions, in the same order');
  const answers = await assistantArticles(env.page).allInnerTexts();
  assert.ok(answers.at(-1)?.includes(`Echo: ${last}`), 'the answer came back with the question');

  const after = 'Delta question after redo';
  await sendAndWaitForAnswer(env.page, after);
  const sent = await historySentWith(env, after);
  assert.ok(sent.includes(last), `the model gets the redone turn again: ${JSON.stringify(sent)}`);
}
