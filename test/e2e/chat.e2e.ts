// End-to-end: a real VS Code (code-server) in a real browser, with the packaged VSIX installed and
// the project's test model server behind it. One environment serves every scenario, in order.
// Run: node --test --test-concurrency=1 'test/e2e/**/*.e2e.ts'
import { after, before, describe, test } from 'node:test';
import { startE2eEnvironment } from './support/environment.ts';
import type { E2eEnvironment } from './support/environment.ts';
import { opensFromPalette, redoRestoresTurn, sendsAndStreams, undoRemovesTurn } from './scenarios/conversation.ts';
import { foldersKeepTheirOwnThreads, reloadRestoresPanel } from './scenarios/persistence.ts';
import { retryAfterServerError, stopKeepsPartialAnswer } from './scenarios/failures.ts';
import { screenshotsInLightAndDark } from './scenarios/themes.ts';
import { findInThreadReachesOlderTurn, searchFindsOtherWorkspace, searchScreenshotsInThemes } from './scenarios/search.ts';
import { secondWindowFollows, undoOnHugeThread } from './scenarios/windows.ts';
import { versionScreenshotsInThemes, versionsEditSwitchRegenerateFork } from './scenarios/versions.ts';
import { eachSurfaceShowsActionsOnce, escapeStopsStreaming, freshProfileSetsUpAModel, oneToolbarScreenshots, reloadFocusesMessageBox, tabReachesPanelActions } from './scenarios/firstRun.ts';
import { exportDeleteImport } from './scenarios/transfer.ts';
import { attachSelectionAndApproveTool, toolScreenshotsInThemes } from './scenarios/tools.ts';
import { modelScreenshotsInThemes, twoAgentsShareAThread } from './scenarios/agents.ts';

/** Per scenario; code-server on two shared cores is slow, and a failure should say where it hung. */
const SCENARIO_TIMEOUT_MS = 240_000;

describe('Session Chat in VS Code (code-server + Chromium)', { timeout: 30 * 60_000 }, () => {
  let env: E2eEnvironment | undefined;
  const startedAt = Date.now();

  before(async () => {
    env = await startE2eEnvironment();
    console.log(`[e2e] environment ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  }, { timeout: 15 * 60_000 });

  after(async () => {
    await env?.close();
    console.log(`[e2e] suite wall time ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  });

  /** A scenario that saves a screenshot of the window under .artifacts/e2e-failures/ when it fails. */
  const scenario = (name: string, run: (env: E2eEnvironment) => Promise<unknown>, timeout = SCENARIO_TIMEOUT_MS) =>
    test(name, { timeout }, async () => {
      if (!env) throw new Error('the environment did not start (see the before hook)');
      const started = Date.now();
      try {
        await run(env);
      } catch (error) {
        const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
        const file = await env.screenshot(`e2e-failures/${slug}.png`).catch(() => 'no screenshot');
        console.log(`[e2e] FAILED "${name}" after ${((Date.now() - started) / 1000).toFixed(1)} s; screenshot: ${file}`);
        throw error;
      }
      console.log(`[e2e] passed "${name}" in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });

  scenario('1. Open Chat from the command palette opens the panel', opensFromPalette);
  scenario('2. a question gets a streamed answer', sendsAndStreams);
  scenario('3. Undo Last Turn removes the turn from the panel and from what the model is sent', undoRemovesTurn);
  scenario('4. Redo Last Turn brings the turn back', redoRestoresTurn);
  scenario('5. a window reload restores the panel and its thread', reloadRestoresPanel);
  scenario('6. another folder has its own (empty) history; the first folder keeps its own', foldersKeepTheirOwnThreads);
  scenario('7. Stop keeps the partial answer, also after a reload', stopKeepsPartialAnswer);
  scenario('8. a server error offers Retry, which answers without duplicating the question', retryAfterServerError);
  scenario('screenshots of the panel in a light and a dark theme', screenshotsInLightAndDark);
  scenario('9. a turn added in one window appears in a second window\'s open panel without a reload', secondWindowFollows);
  scenario('10. Undo on a 50,000-turn thread', undoOnHugeThread);
  scenario('11. Search History in one folder finds a message of another folder and shows it highlighted', searchFindsOtherWorkspace);
  scenario('12. Find in Thread finds a word in a turn older than the first page and scrolls to it', findInThreadReachesOlderTurn);
  scenario('screenshots of Search History and the find bar in light, dark and high contrast', searchScreenshotsInThemes);
  scenario('13. edit a question, switch versions, continue a version, regenerate the last answer and fork from the first message', versionsEditSwitchRegenerateFork);
  scenario('screenshots of the edit box and the version switcher in light, dark and high contrast', versionScreenshotsInThemes);
  scenario('15a. a fresh profile with no key shows "Set up a model"; the test server chosen there answers the next message', freshProfileSetsUpAModel);
  scenario('15b. Escape stops a streaming answer and keeps the partial text', escapeStopsStreaming);
  scenario('15c. Tab from the message box reaches the panel\'s actions', tabReachesPanelActions);
  scenario('15d. after a reload the message box has the focus', reloadFocusesMessageBox);
  scenario('15e. the editor panel and the side bar view each show the thread actions once, in their title bars', eachSurfaceShowsActionsOnce);
  scenario('15f. screenshots of the panel with one toolbar in light, dark and high contrast', oneToolbarScreenshots);
  scenario('16. a selection attached and sent with its path and lines; read_file of README.md approved and its content sent; .env refused without asking; Undo removes the question, the calls and the answer', attachSelectionAndApproveTool);
  // Three themes, each with a tool round: 180-190 s on an idle machine, too near the common limit.
  scenario('screenshots of attachment chips, a tool call awaiting approval and a finished one in light, dark and high contrast', toolScreenshotsInThemes, 2 * SCENARIO_TIMEOUT_MS);
  scenario('14. export a thread as JSON, delete it, import it back with the same turns; a second import adds nothing', exportDeleteImport);
  scenario('17. two agents defined in settings answer in one thread, each labelled, and the second\'s request carries the first\'s answer', twoAgentsShareAThread);
  scenario('screenshots of an agent-labelled answer with its usage, the context meter near its limit and Select Model in light, dark and high contrast', modelScreenshotsInThemes, 2 * SCENARIO_TIMEOUT_MS);
});
