// Scenarios 9-10: two windows on one sessions.db follow each other without a reload; Undo works on a
// 50,000-turn thread and the panel keeps rendering one page. Times are printed, never asserted.
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { PAGE_SIZE } from '../../../src/core/view/paging.ts';
import type { E2eEnvironment } from '../support/environment.ts';
import { assistantArticles, chatFrame, openChatSettled, typeAndSend, userTexts, waitForIdle, waitForSnapshot } from '../support/chatPanel.ts';
import { hasRowContaining, openSessionsDb, rowCount, seedTurns, seededQuestion, threadIds } from '../support/database.ts';
import { markWhen, markedAt } from '../support/panelMarks.ts';
import { pollUntil, stepTimer } from '../support/poll.ts';
import { openSecondWindow } from '../support/secondWindow.ts';
import { runCommand } from '../support/workbench.ts';

/** Generous wait for a change to reach a window: the goal is under a second, but timings are reported, not asserted. */
const FOLLOW_TIMEOUT_MS = 10_000;

/** Fine-grained polling of the database, so a commit's reported time is off by tens of milliseconds at most. */
const TIMING_POLL_MS = 50;

/**
 * Starts polling `probe` (a throw counts as "not yet") and resolves with the Date.now() at which it
 * first held. The watch runs while the caller acts, so it is awaited later: its failure is kept for
 * that await instead of surfacing as an unhandled rejection meanwhile.
 */
function timeWhen(probe: () => Promise<boolean>, message: string, timeoutMs = FOLLOW_TIMEOUT_MS): Promise<number> {
  const watch = pollUntil(probe, { message, timeoutMs, intervalMs: TIMING_POLL_MS }).then(() => Date.now());
  watch.catch(() => {});
  return watch;
}

const ms = (from: number, to: number) => `${to - from} ms`;

/** "120 ms after" / "30 ms before": the watches poll independently, so a commit may be seen before the repaint it caused. */
const relative = (from: number, to: number) => (to >= from ? `${to - from} ms after` : `${from - to} ms before`);

/** Turns the panel has rendered (each turn is one element carrying `data-turn-id`). */
function renderedTurns(page: Page): Promise<number> {
  return chatFrame(page).locator('[data-turn-id]').count();
}

/**
 * 9. Window A and window B show the same thread. A question sent in A, with its answer, appears in
 * B's open panel by itself (B's host notices A's commit); Undo Last Turn in A removes it from B too.
 */
export async function secondWindowFollows(env: E2eEnvironment): Promise<void> {
  const step = stepTimer('two windows');
  const a = env.page;
  await a.bringToFront();
  await runCommand(a, 'Session Chat: Open Chat');
  await waitForSnapshot(a);
  await waitForIdle(a);

  // The test's own read-only connection tells when A's host committed, which splits B's delay
  // into A's commit and B's noticing it.
  const db = openSessionsDb(env.codeServer);
  const committed = (text: string, present = true) =>
    timeWhen(async () => hasRowContaining(db, text) === present, `"${text}" ${present ? 'in' : 'gone from'} sessions.db`, 90_000);
  const { page: b, kind } = await openSecondWindow(env);
  try {
    step(`window B opened (in a browser ${kind} of its own)`);
    await runCommand(b, 'Session Chat: Open Chat');
    await waitForSnapshot(b);
    const before = await userTexts(a);
    await pollUntil(async () => JSON.stringify(await userTexts(b)) === JSON.stringify(before), {
      message: `window B to show A's thread: ${JSON.stringify(before)}`,
      timeoutMs: 30_000,
    });
    step(`both windows show the thread (${before.length} questions)`);

    // From here on, B is only watched: no command, no reload, no click.
    await a.bringToFront();
    const question = 'Asked in window A, seen in window B';
    for (const page of [a, b]) {
      await markWhen(page, 'asked', { lastQuestion: question });
      await markWhen(page, 'answered', { answered: question });
    }
    const questionStored = committed(JSON.stringify(question));
    const answerStored = committed(`Echo: ${question}`);
    await typeAndSend(a, question);
    const tAsked = await markedAt(a, 'asked', 'window A to show the question');
    const tAnswered = await markedAt(a, 'answered', 'window A to show the complete answer');
    const [tQuestionStored, tAnswerStored] = await Promise.all([questionStored, answerStored]);
    const tAskedB = await markedAt(b, 'asked', 'window B to show the question', FOLLOW_TIMEOUT_MS);
    const tAnsweredB = await markedAt(b, 'answered', 'window B to show the complete answer', FOLLOW_TIMEOUT_MS);
    step('window B shows the new turn');
    console.log(`[e2e] two windows: B showed the question ${ms(tAsked, tAskedB)} after A did (A committed it ${relative(tAsked, tQuestionStored)} showing it; B showed it ${ms(tQuestionStored, tAskedB)} after the commit)`);
    console.log(`[e2e] two windows: B showed the complete answer ${ms(tAnswered, tAnsweredB)} after A did (A committed it ${relative(tAnswered, tAnswerStored)} showing it; B showed it ${ms(tAnswerStored, tAnsweredB)} after the commit)`);
    assert.deepEqual(await userTexts(b), [...before, question], 'B shows the question after the thread it had');
    assert.match(await assistantArticles(b).last().innerText(), new RegExp(`Echo: ${question}`), 'B shows the answer');
    await waitForIdle(a);

    for (const page of [a, b]) await markWhen(page, 'undone', { without: question });
    const undoStored = committed(`Echo: ${question}`, false);
    const commandAt = await runCommand(a, 'Session Chat: Undo Last Turn');
    const tUndone = await markedAt(a, 'undone', 'window A to drop the undone turn', 30_000);
    const tUndoStored = await undoStored;
    const tUndoneB = await markedAt(b, 'undone', 'window B to drop the undone turn', FOLLOW_TIMEOUT_MS);
    step('window B dropped the undone turn');
    console.log(`[e2e] two windows: Undo in A repainted A ${ms(commandAt, tUndone)} after the command; B dropped the turn ${ms(tUndone, tUndoneB)} after A (${ms(tUndoStored, tUndoneB)} after the commit)`);
    assert.deepEqual(await userTexts(b), before, 'B shows the thread as it was before the undone turn');
    const answers = await assistantArticles(b).allInnerTexts();
    assert.ok(!answers.some((text) => text.includes(`Echo: ${question}`)), 'the undone answer left B too');
  } finally {
    await b.close();
    db.close();
    await a.bringToFront();
  }
}

/** Makes a new thread from the palette, finds its id in the database and seeds it with `turns` turns in one commit. */
async function seededThread(env: E2eEnvironment, db: ReturnType<typeof openSessionsDb>, turns: number, label: string): Promise<string> {
  const page = env.page;
  const known = threadIds(db);
  await runCommand(page, 'Session Chat: New Thread');
  const threadId = await pollUntil(() => [...threadIds(db)].find((id) => !known.has(id)), { message: 'the new thread in sessions.db', timeoutMs: 30_000 });
  await chatFrame(page).getByText('Start a conversation').waitFor({ state: 'visible', timeout: 30_000 });
  const last = seededQuestion(label, turns);
  await markWhen(page, 'seeded', { lastQuestion: last });
  const seedStart = Date.now();
  const seedMs = seedTurns(db, threadId, turns, label);
  const shownAt = await markedAt(page, 'seeded', `the panel to show the seeded thread up to "${last}"`);
  // The commit is visible before seedTurns returns: SQLite checkpoints a long WAL right after it.
  console.log(`[e2e]   undo: seeded ${turns} turns (${2 * turns} rows) in one commit; the write took ${seedMs} ms, and the open panel showed them ${ms(seedStart, shownAt)} after it began`);
  return threadId;
}

/** Undo Last Turn from the palette; returns the ms from the command to the panel's repaint without the last question. */
async function timedUndo(env: E2eEnvironment, turns: number, label: string): Promise<number> {
  const page = env.page;
  const last = seededQuestion(label, turns);
  const previous = seededQuestion(label, turns - 1);
  await markWhen(page, 'undone', { lastQuestion: previous, without: last });
  const commandAt = await runCommand(page, 'Session Chat: Undo Last Turn');
  return (await markedAt(page, 'undone', `the panel to drop "${last}" and end with "${previous}"`)) - commandAt;
}

/**
 * 10. Undo on a thread of 50,000 turns (100,000 rows, seeded straight into sessions.db): the last turn
 * goes, the one before it shows, and the panel renders one page of turns, not the whole thread. The
 * time from the command to the repaint is printed beside the same on a 10-turn thread.
 */
export async function undoOnHugeThread(env: E2eEnvironment): Promise<void> {
  const step = stepTimer('undo');
  const page = env.page;
  await openChatSettled(page);
  const db = openSessionsDb(env.codeServer);
  try {
    const bigTurns = 50_000;
    const big = await seededThread(env, db, bigTurns, 'Big');
    step('50,000-turn thread seeded and shown');
    const shownBefore = await renderedTurns(page);
    assert.ok(shownBefore > 0 && shownBefore <= PAGE_SIZE, `the panel renders one page of turns (at most ${PAGE_SIZE}), not the thread: ${shownBefore}`);
    const bigMs = await timedUndo(env, bigTurns, 'Big');
    step('undone on the 50,000-turn thread');
    const texts = await userTexts(page);
    assert.equal(texts.at(-1), seededQuestion('Big', bigTurns - 1), 'the turn before the undone one is the last shown');
    assert.ok(!texts.includes(seededQuestion('Big', bigTurns)), 'the undone question is gone');
    const shownAfter = await renderedTurns(page);
    assert.ok(shownAfter > 0 && shownAfter <= PAGE_SIZE, `after Undo the panel still renders at most ${PAGE_SIZE} turns: ${shownAfter}`);
    assert.equal(rowCount(db, big), 2 * bigTurns - 2, 'the store lost exactly the undone turn\'s two rows');

    const smallTurns = 10;
    const small = await seededThread(env, db, smallTurns, 'Small');
    step('10-turn thread seeded and shown');
    const smallMs = await timedUndo(env, smallTurns, 'Small');
    step('undone on the 10-turn thread');
    assert.equal((await userTexts(page)).length, smallTurns - 1, 'the 10-turn thread shows 9 turns after Undo');
    assert.equal(rowCount(db, small), 2 * smallTurns - 2);

    console.log(`[e2e] undo: command to repaint ${bigMs} ms on a ${bigTurns}-turn thread, ${smallMs} ms on a ${smallTurns}-turn thread (panel renders ${shownAfter} turns)`);
  } finally {
    db.close();
  }
}
