// Scenario 13 and screenshots: edit a question, switch versions, continue a version, regenerate the last
// answer and fork a thread, all by clicking the panel's buttons, with the model's request log as proof of
// what history was sent; then the edit box and the version switcher in light, dark and high contrast,
// saved under .artifacts/screenshots/ for a person to look at.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { artifactsDir } from '../support/environment.ts';
import type { E2eEnvironment } from '../support/environment.ts';
import { assistantArticles, button, chatFrame, openChatSettled, panelElement, sendAndWaitForAnswer, userArticles, userTexts, waitForAnswer, waitForIdle } from '../support/chatPanel.ts';
import { assertReadable, luminance, seenColours } from '../support/colours.ts';
import { openSessionsDb, rowCount, threadIds } from '../support/database.ts';
import { modelRequests, requestFor, userTextsSent } from '../support/modelLog.ts';
import { pollUntil, stepTimer } from '../support/poll.ts';
import { HIGH_CONTRAST, THEMES, runCommand, setNamedColorTheme } from '../support/workbench.ts';
import type { NamedTheme } from '../support/workbench.ts';

/** Questions no other scenario asks, so the request log finds each one's request. */
const Q1 = 'Versions one: which river is longest?';
const Q2 = 'Versions two: and the second longest?';
const Q3 = 'Versions three: where does it rise?';
const Q2_EDITED = 'Versions two, edited: and the shortest?';
const Q4 = 'Versions four: continue the first version';
const Q5 = 'Versions five: asked in the fork';

/** The rendered turns of the log, oldest first (each `.turn` holds a question and its answer). */
function turns(page: Page): Locator {
  return chatFrame(page).locator('[role="log"] .turn');
}

/** The version switcher of a turn: a group labelled "Version i of n". */
function switcher(turn: Locator): Locator {
  return turn.getByRole('group', { name: /^Version \d+ of \d+$/ });
}

/** Waits until the turn's switcher reads `label` (e.g. "2 / 2"), with its group labelled to match. */
async function waitForSwitcher(page: Page, index: number, label: string, what: string): Promise<Locator> {
  const [shown, count] = label.split(' / ');
  const group = switcher(turns(page).nth(index));
  await pollUntil(async () => {
    if ((await group.count()) !== 1) return false;
    const text = (await group.locator('.version-label').innerText({ timeout: 2_000 })).trim();
    return text === label && (await group.getAttribute('aria-label')) === `Version ${shown} of ${count}`;
  }, { message: `${what}: turn ${index + 1}'s switcher to read "${label}" (it reads "${await group.innerText().catch(() => 'nothing')}")`, timeoutMs: 30_000 });
  return group;
}

/** Waits until the panel shows exactly these questions, in order. */
async function waitForQuestions(page: Page, expected: string[], what: string): Promise<void> {
  await pollUntil(async () => JSON.stringify(await userTexts(page)) === JSON.stringify(expected), {
    message: `${what}: the panel to show ${JSON.stringify(expected)} (it shows ${JSON.stringify(await userTexts(page).catch(() => []))})`,
    timeoutMs: 60_000,
  });
}

/** The answers' texts must each echo their question, one answer per question. */
async function assertAnswered(page: Page, questions: string[], what: string): Promise<void> {
  const answers = await assistantArticles(page).allInnerTexts();
  assert.equal(answers.length, questions.length, `${what}: one answer per question (${answers.length} answers)`);
  questions.forEach((question, i) => assert.ok(answers[i]?.includes(`Echo: ${question}`), `${what}: answer ${i + 1} echoes "${question}": ${JSON.stringify(answers[i])}`));
}

/** The user messages of the model's newest request; waits for the request for `question` to be logged. */
async function sentWith(env: E2eEnvironment, question: string): Promise<string[]> {
  const request = await pollUntil(() => requestFor(env.model, question), { message: `a model request for "${question}"`, timeoutMs: 10_000 });
  const last = (await modelRequests(env.model)).at(-1);
  assert.ok(last, 'the model was sent a request');
  assert.deepEqual(userTextsSent(last), userTextsSent(request), `the newest model request is the one for "${question}"`);
  return userTextsSent(request);
}

/** Hovers a message (its actions show on hover) and clicks its button `name`. */
async function clickMessageButton(article: Locator, name: string): Promise<void> {
  await article.hover();
  const target = article.getByRole('button', { name, exact: true });
  await target.waitFor({ state: 'visible', timeout: 10_000 });
  await target.click();
}

/** The thread title the panel's header shows (its CSS upper-cases it; the text is as stored). */
async function shownTitle(page: Page): Promise<string> {
  return ((await chatFrame(page).locator('h1.thread-title').textContent()) ?? '').trim();
}

function editBox(page: Page): Locator {
  return chatFrame(page).getByRole('textbox', { name: 'Edited message' });
}

/**
 * 13. A new thread with three turns. "Edit message" on the second question, a new text, "Send edit": the
 * thread shows the edited question with its answer and no third turn, the switcher reads "2 / 2", and the
 * model was sent the edited history only. "Previous version" brings back the original second and third
 * turns ("1 / 2"); a new message continues that version. "Regenerate answer" on the last answer gives
 * it "2 / 2". "Fork thread from here" on the first message opens a new thread "<title> (fork)" holding
 * that turn only; the next question there is sent with that turn alone.
 */
export async function versionsEditSwitchRegenerateFork(env: E2eEnvironment): Promise<void> {
  const step = stepTimer('versions');
  const page = env.page;
  await openChatSettled(page);
  const db = openSessionsDb(env.codeServer);
  try {
    const known = threadIds(db);
    await runCommand(page, 'Session Chat: New Thread');
    const threadId = await pollUntil(() => [...threadIds(db)].find((id) => !known.has(id)), { message: 'the new thread in sessions.db', timeoutMs: 30_000 });
    await chatFrame(page).getByText('Start a conversation').waitFor({ state: 'visible', timeout: 30_000 });
    for (const question of [Q1, Q2, Q3]) await sendAndWaitForAnswer(page, question);
    await waitForQuestions(page, [Q1, Q2, Q3], 'three turns');
    assert.equal(await switcher(chatFrame(page).locator('body')).count(), 0, 'no turn has versions yet');
    step('three turns asked');

    // Edit the second question in place.
    await clickMessageButton(userArticles(page).nth(1), 'Edit message');
    const box = editBox(page);
    await box.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await box.inputValue(), Q2, 'the edit box holds the question');
    await pollUntil(() => box.evaluate((node) => node === node.ownerDocument.activeElement), { message: 'the cursor in the edit box', timeoutMs: 10_000 });
    await box.fill('');
    assert.ok(await button(page, 'Send edit').isDisabled(), 'Send edit is disabled while the edited text is empty');
    await box.pressSequentially(Q2_EDITED);
    await button(page, 'Send edit').click();
    await waitForAnswer(page, Q2_EDITED, 1);
    await waitForQuestions(page, [Q1, Q2_EDITED], 'after Send edit');
    await assertAnswered(page, [Q1, Q2_EDITED], 'after Send edit');
    assert.equal(await editBox(page).count(), 0, 'the edit box closed');
    const edited = await waitForSwitcher(page, 1, '2 / 2', 'after Send edit');
    assert.ok(await edited.getByRole('button', { name: 'Previous version', exact: true }).isEnabled(), 'Previous version is enabled at 2 / 2');
    assert.ok(await edited.getByRole('button', { name: 'Next version', exact: true }).isDisabled(), 'Next version is disabled at 2 / 2');
    assert.equal(await switcher(turns(page).nth(0)).count(), 0, 'the first turn has no switcher');
    assert.deepEqual(await sentWith(env, Q2_EDITED), [Q1, Q2_EDITED], 'the model was sent the edited history only (not the old second or third question)');
    step('edited: "2 / 2", the model got the edited history');

    // Back to the original version: its second and third turns return.
    await edited.getByRole('button', { name: 'Previous version', exact: true }).click();
    await waitForQuestions(page, [Q1, Q2, Q3], 'after Previous version');
    const original = await waitForSwitcher(page, 1, '1 / 2', 'after Previous version');
    await assertAnswered(page, [Q1, Q2, Q3], 'after Previous version');
    assert.ok(await original.getByRole('button', { name: 'Previous version', exact: true }).isDisabled(), 'Previous version is disabled at 1 / 2');
    assert.ok(await original.getByRole('button', { name: 'Next version', exact: true }).isEnabled(), 'Next version is enabled at 1 / 2');
    step('Previous version: the original turns are back ("1 / 2")');

    // Sending continues the version shown.
    const requestsBefore = (await modelRequests(env.model)).length;
    await sendAndWaitForAnswer(page, Q4);
    await waitForQuestions(page, [Q1, Q2, Q3, Q4], 'after the next message');
    assert.deepEqual(await sentWith(env, Q4), [Q1, Q2, Q3, Q4], 'the next message continues the version shown (the original second and third turns before it)');
    assert.equal((await modelRequests(env.model)).length, requestsBefore + 1, 'one request for the next message');
    await waitForSwitcher(page, 1, '1 / 2', 'after the next message');
    step('the next message continued the original version');

    // Regenerate the last answer.
    const beforeRegenerate = (await modelRequests(env.model)).length;
    await clickMessageButton(assistantArticles(page).last(), 'Regenerate answer');
    await waitForSwitcher(page, 3, '2 / 2', 'after Regenerate answer');
    await waitForIdle(page);
    await waitForQuestions(page, [Q1, Q2, Q3, Q4], 'after Regenerate answer');
    await pollUntil(async () => /I was sent \d+ messages?/.test(await assistantArticles(page).last().innerText()), { message: 'the regenerated answer complete', timeoutMs: 60_000 });
    await assertAnswered(page, [Q1, Q2, Q3, Q4], 'after Regenerate answer');
    const regenerated = await modelRequests(env.model);
    assert.equal(regenerated.length, beforeRegenerate + 1, 'Regenerate sent one request');
    assert.deepEqual(userTextsSent(regenerated.at(-1)!), [Q1, Q2, Q3, Q4], 'Regenerate asked the same question again, once, after the same history');
    await waitForSwitcher(page, 1, '1 / 2', 'after Regenerate answer (the second turn keeps its switcher)');
    step('Regenerate answer: "2 / 2" on the last answer');

    // Fork from the first message.
    const title = await shownTitle(page);
    assert.ok(title.length > 0 && !title.endsWith('(fork)'), `the thread has a title: "${title}"`);
    const beforeFork = threadIds(db);
    await clickMessageButton(userArticles(page).first(), 'Fork thread from here');
    const forkId = await pollUntil(() => [...threadIds(db)].find((id) => !beforeFork.has(id)), { message: 'the fork in sessions.db', timeoutMs: 30_000 });
    await pollUntil(async () => (await shownTitle(page)) === `${title} (fork)`, { message: `the panel to show the fork "${title} (fork)" (it shows "${await shownTitle(page).catch(() => '?')}")`, timeoutMs: 30_000 });
    await waitForQuestions(page, [Q1], 'in the fork');
    await waitForIdle(page);
    await assertAnswered(page, [Q1], 'in the fork');
    assert.equal(await switcher(chatFrame(page).locator('body')).count(), 0, 'the fork shows no switcher');
    assert.equal(rowCount(db, forkId), 2, 'the fork holds the first question and its answer');
    assert.equal(rowCount(db, threadId), 8, 'the original thread still holds its four turns');
    await sendAndWaitForAnswer(page, Q5);
    assert.deepEqual(await sentWith(env, Q5), [Q1, Q5], 'the fork\'s history ends at the first turn');
    step('Fork thread from here: a new thread "(fork)" holding the first turn');
  } finally {
    db.close();
  }
}

/** How the panel's <body> says which theme it has (VS Code sets these classes on webviews). */
const webviewThemeClass: Record<string, string> = {
  'vs': 'body.vscode-light',
  'vs-dark': 'body.vscode-dark',
  'hc-black': 'body.vscode-high-contrast:not(.vscode-high-contrast-light)',
};

/** Which element has the focus inside the panel: its aria-label, else its tag. */
function focusedLabel(page: Page): Promise<string> {
  return chatFrame(page).locator('body').evaluate((body) => {
    const active = body.ownerDocument.activeElement;
    return active?.getAttribute('aria-label') ?? active?.tagName ?? '';
  });
}

/**
 * In light, dark and high contrast, on the fork (regenerated once for a switcher "2 / 2"): the edit box
 * open on the first question (versions-edit-<theme>.png) and the version switcher with its Previous
 * button focused (versions-switcher-<theme>.png), both of the panel alone. The box,
 * its buttons and the switcher's label must be readable; Tab reaches Send edit and Cancel, Enter on
 * Cancel closes the box unchanged.
 */
export async function versionScreenshotsInThemes(env: E2eEnvironment): Promise<string[]> {
  const page = env.page;
  await page.bringToFront();
  await waitForIdle(page);
  if ((await switcher(chatFrame(page).locator('body')).count()) === 0) {
    await clickMessageButton(assistantArticles(page).last(), 'Regenerate answer');
    await waitForSwitcher(page, (await turns(page).count()) - 1, '2 / 2', 'the fork\'s last answer regenerated');
    await waitForIdle(page);
  }
  const last = (await turns(page).count()) - 1;
  const themes: Record<string, NamedTheme> = { light: THEMES.light, dark: THEMES.dark, hc: HIGH_CONTRAST };
  const dir = path.join(artifactsDir, 'screenshots');
  mkdirSync(dir, { recursive: true });
  const saved: string[] = [];
  const boxBackgrounds: Record<string, number> = {};
  for (const [name, theme] of Object.entries(themes)) {
    await setNamedColorTheme(page, theme);
    await chatFrame(page).locator(webviewThemeClass[theme.workbenchClass]!).waitFor({ state: 'attached', timeout: 30_000 });

    // The edit box, open on the first question.
    const questions = await userTexts(page);
    await clickMessageButton(userArticles(page).first(), 'Edit message');
    const box = editBox(page);
    await box.waitFor({ state: 'visible', timeout: 10_000 });
    await pollUntil(() => box.evaluate((node) => node === node.ownerDocument.activeElement), { message: `${theme.name}: the cursor in the edit box`, timeoutMs: 10_000 });
    await box.press('End');
    await box.pressSequentially(' (typo fixed)');
    const send = button(page, 'Send edit');
    const cancel = button(page, 'Cancel');
    await assertReadable(box, `${theme.name}: the edit box`);
    await assertReadable(send, `${theme.name}: Send edit`);
    await assertReadable(cancel, `${theme.name}: Cancel`);
    boxBackgrounds[name] = luminance((await seenColours(box, `${theme.name}: the edit box`)).background);
    if (theme === HIGH_CONTRAST) {
      const border = await box.evaluate((node) => getComputedStyle(node).borderTopColor);
      assert.ok(!/rgba\(0, 0, 0, 0\)|transparent/.test(border), `${theme.name}: the edit box has a visible border (${border})`);
    }
    // The pointer would leave the first message's actions shown on hover: rest it on the status bar.
    await page.mouse.move(700, (page.viewportSize()?.height ?? 900) - 8);
    const editShot = path.join(dir, `versions-edit-${name}.png`);
    await panelElement(page).screenshot({ path: editShot });
    saved.push(editShot);
    // Keyboard: Tab reaches Send edit, then Cancel; Enter on Cancel closes the box and keeps the question.
    await box.focus();
    await page.keyboard.press('Tab');
    assert.equal(await focusedLabel(page), 'Send edit', `${theme.name}: Tab from the edit box reaches Send edit`);
    await page.keyboard.press('Tab');
    assert.equal(await focusedLabel(page), 'Cancel', `${theme.name}: the next Tab reaches Cancel`);
    await page.keyboard.press('Enter');
    await box.waitFor({ state: 'hidden', timeout: 10_000 });
    assert.deepEqual(await userTexts(page), questions, `${theme.name}: Cancel left the questions as they were`);

    // The switcher, its Previous button focused (after keyboard use, so it shows its focus ring).
    const group = await waitForSwitcher(page, last, '2 / 2', theme.name);
    await assertReadable(group.locator('.version-label'), `${theme.name}: the version label`);
    const previous = group.getByRole('button', { name: 'Previous version', exact: true });
    await previous.focus();
    assert.equal(await focusedLabel(page), 'Previous version', `${theme.name}: Previous version takes the focus`);
    await page.mouse.move(700, (page.viewportSize()?.height ?? 900) - 8);
    const switcherShot = path.join(dir, `versions-switcher-${name}.png`);
    await panelElement(page).screenshot({ path: switcherShot });
    saved.push(switcherShot);
  }
  for (const file of saved) assert.ok(statSync(file).size > 0, `${file} was written`);
  assert.ok(boxBackgrounds.light! > boxBackgrounds.dark!, 'the edit box is lighter in the light theme than in the dark one');
  assert.ok(boxBackgrounds.hc! <= boxBackgrounds.dark!, 'the edit box is darkest in high contrast');
  const edits = saved.filter((file) => file.includes('versions-edit-')).map((file) => readFileSync(file));
  assert.ok(!edits[0]!.equals(edits[1]!) && !edits[1]!.equals(edits[2]!), 'the edit box screenshots differ between themes');
  console.log(`[e2e] versions screenshots: ${saved.map((file) => path.relative(artifactsDir, file)).join(', ')}`);
  return saved;
}
