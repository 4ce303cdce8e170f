import * as vscode from 'vscode';
import type { HistoryStore } from '../../core/store/historyStore.ts';

/**
 * Above this many unindexed rows the catch-up runs in the background with a progress
 * notification; below it, the store's own search catches up before it answers.
 */
export const BACKGROUND_THRESHOLD = 2_000;
/** Rows per slice: short enough that the panel's own reads never wait long behind one. */
const SLICE_ROWS = 1_000;

/** Yields to the event loop between slices, so messages from the panel are handled in between. */
const yieldTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Brings the search index up to date with a large backlog (a file the Python SDK filled, or one
 * from before search existed) in slices, reporting progress; never blocks the panel. `start` may
 * be called often (every new surface, every search): one catch-up runs at a time, and a small
 * backlog is left to the search itself.
 */
export class IndexCatchUp {
  readonly #store: HistoryStore;
  readonly #log: vscode.LogOutputChannel;
  #running: Promise<void> | undefined;
  #disposed = false;

  constructor(store: HistoryStore, log: vscode.LogOutputChannel) {
    this.#store = store;
    this.#log = log;
  }

  /** Starts catching up if it is needed and not already under way; resolves when it ends. */
  start(): Promise<void> {
    if (this.#disposed) return Promise.resolve();
    this.#running ??= this.#run()
      .catch((error: unknown) => this.#log.warn(`Indexing the history for search stopped: ${String(error)}`))
      .finally(() => (this.#running = undefined));
    return this.#running;
  }

  dispose(): void {
    this.#disposed = true;
  }

  async #run(): Promise<void> {
    const { pending } = await this.#store.searchIndexStatus();
    if (pending <= BACKGROUND_THRESHOLD) return;
    this.#log.info(`Indexing ${pending} messages for search in the background.`);
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Session Chat: indexing history for search', cancellable: false },
      async (progress) => {
        let left = pending;
        while (left > 0 && !this.#disposed) {
          const now = await this.#store.indexPending(SLICE_ROWS);
          // Other windows may add rows meanwhile: progress never runs backwards.
          const step = Math.max(0, left - now);
          progress.report({ increment: (step / pending) * 100, message: `${(pending - Math.min(pending, now)).toLocaleString()} of ${pending.toLocaleString()} messages` });
          // No headway (rows arrive as fast as they are indexed): the next search catches up instead.
          if (step === 0) break;
          left = now;
          await yieldTurn();
        }
      },
    );
    if (!this.#disposed) this.#log.info('The search index is up to date.');
  }
}
