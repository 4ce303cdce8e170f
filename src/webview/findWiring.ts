import type { ViewEvent, ViewModel } from './state.ts';
import type { Requests } from './requests.ts';
import { isStale } from './findState.ts';
import { createFindBar, isFindShortcut, type FindBar } from './findBar.ts';

/** How long typing pauses before the thread is searched. */
export const FIND_DELAY_MS = 150;

export interface FindWiringOptions {
  doc: Document;
  win: Window;
  requests: Requests;
  newId(): string;
  dispatch(event: ViewEvent): void;
  model(): ViewModel;
  /** Escape puts the cursor back here. */
  focusComposer(): void;
  /** Ctrl+F or Cmd+F: macOS uses Cmd. */
  mac: boolean;
  delayMs?: number;
}

/** The find bar with its keys and its searches; the app renders it with `bar.update`. */
export interface FindWiring {
  readonly bar: FindBar;
  /** Opens the bar; `fromHost` (the Find in Thread command) leaves the text alone if the box already has the cursor. */
  open(fromHost: boolean): void;
  /** A snapshot arrived: the thread may have changed or grown, so the matches are asked again. */
  snapshotShown(): void;
}

/**
 * Wires the find bar: typing searches the whole thread after a short pause and shows the newest
 * match; Enter / Shift+Enter (or Next / Previous) walk the matches; Escape closes the bar and
 * returns to the message box. Ctrl+F (Cmd+F) inside the page opens it too, for when VS Code does
 * not route the key to the Find in Thread command.
 */
export function wireFind(options: FindWiringOptions): FindWiring {
  const { doc, win, requests, dispatch, model } = options;
  const delay = options.delayMs ?? FIND_DELAY_MS;
  let timer: ReturnType<Window['setTimeout']> | undefined;

  const cancelTimer = (): void => {
    if (timer !== undefined) win.clearTimeout(timer);
    timer = undefined;
  };
  const search = (reveal: boolean): void => {
    cancelTimer();
    const threadId = model().snapshot?.thread.id;
    const query = model().find.query;
    if (threadId === undefined || query.trim() === '') return;
    const id = options.newId();
    dispatch({ type: 'findSearch', id, query, reveal });
    requests.send({ type: 'thread/find', id, threadId, query }).then(
      (result) => dispatch({ type: 'findResult', id, rowIds: result.rowIds }),
      () => dispatch({ type: 'findFailed', id }),
    );
  };

  const bar = createFindBar(doc, {
    onInput(query) {
      dispatch({ type: 'findInput', query });
      cancelTimer();
      if (query.trim() !== '') timer = win.setTimeout(() => search(true), delay);
    },
    onStep(direction) {
      const find = model().find;
      // Enter before the pause ended: search now and show the first match.
      if (isStale(find) && find.request?.query !== find.query) search(true);
      else dispatch({ type: 'findStep', direction });
    },
    onClose() {
      cancelTimer();
      dispatch({ type: 'findClose' });
      options.focusComposer();
    },
  });

  const open = (fromHost: boolean): void => {
    const wasOpen = model().find.open;
    dispatch({ type: 'findOpen' });
    // Ctrl+F pressed in the page reaches the host too: its command must not select what was typed since.
    if (!(fromHost && doc.activeElement === bar.input)) bar.focus();
    if (!wasOpen && model().find.query.trim() !== '') search(false);
  };

  doc.addEventListener('keydown', (event) => {
    if (!isFindShortcut(event, options.mac)) return;
    event.preventDefault();
    open(false);
  });

  return {
    bar,
    open,
    snapshotShown() {
      const find = model().find;
      // While the user types, the pending search covers the new snapshot too.
      if (find.open && find.query.trim() !== '' && timer === undefined) search(false);
    },
  };
}
