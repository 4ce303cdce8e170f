// Timings measured inside the panel: a MutationObserver in the webview's document notes the Date.now()
// of the first DOM change after which a condition holds, so a measured delay is the panel's, not that of
// the test polling through two iframes on a busy machine (the browser and the test share one clock).
import type { Page } from 'playwright-core';
import { chatFrame } from './chatPanel.ts';
import { pollUntil } from './poll.ts';

/** What the panel must show; every field given must hold. Texts are user questions as typed. */
export interface PanelCondition {
  /** The last question shown is this one. */
  lastQuestion?: string;
  /** The last question is this one and the last assistant message is the test model's complete answer to it. */
  answered?: string;
  /** No question shown is this one. */
  without?: string;
}

/**
 * Starts watching the panel of `page` for `condition` under the name `key` (a watch of the same name
 * is replaced). Resolves once the watch is installed; read the time with {@link markedAt}.
 */
export async function markWhen(page: Page, key: string, condition: PanelCondition): Promise<void> {
  await chatFrame(page).locator('body').evaluate((body, { key, condition }) => {
    type Watches = { marks: Record<string, number>; observers: Record<string, MutationObserver> };
    const holder = window as unknown as { __e2eWatches?: Watches };
    const watches = (holder.__e2eWatches ??= { marks: {}, observers: {} });
    watches.observers[key]?.disconnect();
    delete watches.marks[key];
    // The same reading as userTexts(): a user article's label is "You said: <text>".
    const questions = () =>
      Array.from(body.querySelectorAll('[role="log"] article.user'), (article) => (article.getAttribute('aria-label') ?? '').replace(/^You( said)?:?\s*/, '').trim());
    const holds = (): boolean => {
      const shown = questions();
      if (condition.lastQuestion !== undefined && shown.at(-1) !== condition.lastQuestion) return false;
      if (condition.without !== undefined && shown.includes(condition.without)) return false;
      if (condition.answered !== undefined) {
        if (shown.at(-1) !== condition.answered) return false;
        const answers = body.querySelectorAll('[role="log"] article.assistant');
        const last = answers[answers.length - 1]?.textContent ?? '';
        if (!last.includes(`Echo: ${condition.answered}`) || !/I was sent \d+ messages?/.test(last)) return false;
      }
      return true;
    };
    const check = () => {
      if (watches.marks[key] !== undefined || !holds()) return;
      watches.marks[key] = Date.now();
      watches.observers[key]?.disconnect();
    };
    const observer = new MutationObserver(check);
    observer.observe(body, { subtree: true, childList: true, characterData: true, attributes: true });
    watches.observers[key] = observer;
    check();
  }, { key, condition });
}

/** The Date.now() at which the watch `key` first held; waits for it up to `timeoutMs`. */
export async function markedAt(page: Page, key: string, what: string, timeoutMs = 60_000): Promise<number> {
  const read = () =>
    chatFrame(page).locator('body').evaluate((_body, name) => {
      const holder = window as unknown as { __e2eWatches?: { marks: Record<string, number> } };
      return holder.__e2eWatches?.marks[name];
    }, key);
  return pollUntil(read, { message: `${what} (panel watch "${key}")`, timeoutMs, intervalMs: 100 });
}
