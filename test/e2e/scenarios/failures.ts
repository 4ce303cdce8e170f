// Scenarios 7-8: Stop keeps the partial answer; a server error offers Retry, which works once.
import assert from 'node:assert/strict';
import type { E2eEnvironment } from '../support/environment.ts';
import { assistantArticles, button, chatFrame, typeAndSend, userTexts, waitForAnswer, waitForIdle, waitForPanel } from '../support/chatPanel.ts';
import { modelRequests, userTextsSent } from '../support/modelLog.ts';
import { pollUntil, stepTimer } from '../support/poll.ts';
import { reloadWorkbench } from '../support/workbench.ts';

/** Whitespace differs between a live render and a restored one; the words must not. */
const words = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The last assistant message once it stopped changing (the host's final snapshot has landed). */
async function settledLastAnswer(env: E2eEnvironment): Promise<string> {
  let previous = '';
  return pollUntil(
    async () => {
      const current = await assistantArticles(env.page).last().innerText({ timeout: 5_000 });
      const settled = current === previous;
      previous = current;
      return settled ? current : undefined;
    },
    { message: 'the last answer to stop changing', intervalMs: 700 },
  );
}

/** 7. Stop a slow answer midway: the partial answer stays, after Stop and after a reload. */
export async function stopKeepsPartialAnswer(env: E2eEnvironment): Promise<void> {
  const question = '[slow] Tell me a long story';
  const step = stepTimer('stop');
  const before = await assistantArticles(env.page).count();
  await typeAndSend(env.page, question);
  const stop = button(env.page, 'Stop');
  await stop.waitFor({ state: 'visible', timeout: 30_000 });
  // Let a few words arrive so there is something to keep.
  await pollUntil(
    async () => (await assistantArticles(env.page).count()) > before && (await assistantArticles(env.page).last().innerText({ timeout: 5_000 })).includes('Echo:'),
    { message: 'the slow answer to start streaming', timeoutMs: 30_000 },
  );
  step('the slow answer is streaming');
  await stop.click();
  await waitForIdle(env.page);
  step('stopped');

  const partial = await settledLastAnswer(env);
  step('partial answer settled');
  assert.match(partial, /Echo:/, 'the partial answer is still shown after Stop');
  assert.doesNotMatch(partial, /I was sent \d+ messages/, 'the answer was cut short');
  assert.equal((await userTexts(env.page)).at(-1), question);
  await env.screenshot('screenshots/panel-stopped.png');

  await reloadWorkbench(env.page);
  await waitForPanel(env.page);
  step('reloaded');
  const restored = await pollUntil(
    async () => {
      const texts = await assistantArticles(env.page).allInnerTexts();
      return texts.length > 0 && words(texts.at(-1) ?? '').includes(words(partial)) ? texts.at(-1) : undefined;
    },
    { message: `the partial answer after reload: ${JSON.stringify(words(partial))}`, timeoutMs: 60_000 },
  );
  step('partial answer restored');
  assert.doesNotMatch(restored, /I was sent \d+ messages/);
}

/** 8. The server fails once (HTTP 500): an error with Retry shows; Retry answers without a second copy of the question. */
export async function retryAfterServerError(env: E2eEnvironment): Promise<void> {
  const question = 'A question the server fails once';
  const requestsBefore = (await modelRequests(env.model)).length;
  await env.model.next({ error: 500, times: 1 });
  const answersBefore = await assistantArticles(env.page).count();
  await typeAndSend(env.page, question);

  const alert = chatFrame(env.page).getByRole('alert');
  await alert.waitFor({ state: 'visible', timeout: 60_000 });
  assert.ok((await alert.innerText()).trim().length > 0, 'the error says what went wrong');
  await env.screenshot('screenshots/panel-error.png');
  const retry = alert.getByRole('button', { name: 'Retry' });
  await retry.click();
  await waitForAnswer(env.page, question, answersBefore);
  await alert.waitFor({ state: 'hidden', timeout: 30_000 });

  const shown = (await userTexts(env.page)).filter((text) => text === question);
  assert.equal(shown.length, 1, 'the panel shows the question once');
  const sent = (await modelRequests(env.model)).slice(requestsBefore);
  assert.equal(sent.length, 2, 'one failed request and one retry');
  for (const request of sent) {
    const copies = userTextsSent(request).filter((text) => text === question);
    assert.equal(copies.length, 1, 'each request carries the question exactly once');
  }
}
