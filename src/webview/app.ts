import type { ErrorAction, HostMessage, WebviewMessage, WebviewState } from '../shared/protocol.ts';
import type { VsCodeApi } from './vscodeApi.ts';
import type { ViewEvent, ViewModel } from './state.ts';
import { initialViewModel, isBusy, oldestIndex, reduce } from './state.ts';
import { createMarkdownRenderer, codeOfButton } from './markdown.ts';
import { createShell } from './renderShell.ts';
import { createComposer } from './composer.ts';
import { createMessageList } from './messageList.ts';
import { announcement } from './announce.ts';
import { spokenText } from './dom.ts';
import { distanceFromBottom, isNearTop, scrollToFromBottom, stickDistance } from './scroll.ts';

/** What the chat needs from its page; tests pass a jsdom window and a fake API. */
export interface AppOptions {
  root: HTMLElement;
  win: Window;
  api: VsCodeApi;
  /** Runs a render later; defaults to requestAnimationFrame, so a stream re-renders once per frame. */
  schedule?: (callback: () => void) => void;
  /** Makes request ids; defaults to crypto.randomUUID. */
  newId?: () => string;
}

/** The running chat UI: feed it every message the host sends. */
export interface App {
  receive(message: HostMessage): void;
}

export function createApp(options: AppOptions): App {
  const { root, win, api } = options;
  const doc = root.ownerDocument;
  const schedule = options.schedule ?? ((callback: () => void) => win.requestAnimationFrame(() => callback()));
  const newId = options.newId ?? (() => win.crypto.randomUUID());
  const post = (message: WebviewMessage): void => api.postMessage(message);
  let model: ViewModel = initialViewModel;
  let saved: WebviewState = api.getState() ?? { draft: '', scrollFromBottom: 0 };
  // The scroll position to restore once the first snapshot of the saved thread is on screen.
  let restoreFromBottom: number | undefined = saved.scrollFromBottom;
  let keepFromBottom = false;
  let renderQueued = false;
  let saveQueued = false;

  const dispatch = (event: ViewEvent): void => {
    const previous = model;
    model = reduce(model, event);
    const spoken = announcement(previous, model, event, toSpoken);
    if (spoken !== undefined) shell.status.textContent = spoken;
    if (event.type === 'host' && event.message.type === 'reply' && event.message.ok) keepFromBottom = true;
    if (previous.snapshot?.thread.id !== model.snapshot?.thread.id && previous.snapshot) restoreFromBottom = 0;
    queueRender();
  };
  const saveState = (patch: Partial<WebviewState>): void => {
    saved = { ...saved, ...patch };
    if (saveQueued) return;
    saveQueued = true;
    schedule(() => {
      saveQueued = false;
      api.setState(saved);
    });
  };

  const onErrorAction = (action: ErrorAction): void => {
    if (action !== 'retry') return post({ type: 'command/run', command: action });
    const id = newId();
    dispatch({ type: 'retry', id });
    post({ type: 'chat/retry', id });
  };
  const markdown = createMarkdownRenderer(win);
  const toSpoken = (text: string): string => {
    const scratch = doc.createElement('div');
    markdown.renderInto(scratch, text);
    return spokenText(scratch);
  };
  const shell = createShell(doc, root, (command) => post({ type: 'command/run', command }));
  const list = createMessageList(shell.log, markdown, onErrorAction);
  const composer = createComposer(doc, {
    onSend(text) {
      const id = newId();
      dispatch({ type: 'send', id, text });
      post({ type: 'chat/send', id, text });
      restoreFromBottom = 0;
    },
    onStop() {
      if (!model.stream) return;
      post({ type: 'chat/abort', id: model.stream.id });
      dispatch({ type: 'abort' });
    },
    onDraftChange: (draft) => saveState({ draft }),
  });
  shell.composerSlot.append(composer.element);
  composer.setDraft(saved.draft);

  const loadOlderIfNeeded = (): void => {
    const before = oldestIndex(model);
    if (!model.hasOlder || model.olderRequestId || model.olderFailed || before === undefined || !isNearTop(shell.log)) return;
    const id = newId();
    dispatch({ type: 'loadOlder', id });
    post({ type: 'thread/loadOlder', id, beforeIndex: before });
  };

  const render = (): void => {
    const log = shell.log;
    const fromBottom = distanceFromBottom(log);
    shell.update(model);
    composer.setBusy(isBusy(model));
    list.render(model);
    if (restoreFromBottom !== undefined && model.snapshot) {
      const sameThread = saved.threadId === undefined || saved.threadId === model.snapshot.thread.id;
      scrollToFromBottom(log, sameThread ? restoreFromBottom : 0);
      restoreFromBottom = undefined;
    } else if (keepFromBottom) {
      // Older turns went in above: keep the messages the user was reading where they were.
      scrollToFromBottom(log, fromBottom);
    } else if (fromBottom <= stickDistance) {
      scrollToFromBottom(log, 0);
    }
    keepFromBottom = false;
    if (model.snapshot && saved.threadId !== model.snapshot.thread.id) saveState({ threadId: model.snapshot.thread.id });
    loadOlderIfNeeded();
  };
  function queueRender(): void {
    if (renderQueued) return;
    renderQueued = true;
    schedule(() => {
      renderQueued = false;
      render();
    });
  }

  shell.log.addEventListener('scroll', () => {
    saveState({ scrollFromBottom: distanceFromBottom(shell.log) });
    loadOlderIfNeeded();
  });
  shell.log.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest?.('[data-code-action]');
    if (!button) return;
    const code = codeOfButton(button);
    post(button.getAttribute('data-code-action') === 'insert' ? { type: 'code/insert', code } : { type: 'code/copy', code });
  });

  render();
  post({ type: 'ready' });
  return {
    receive(message) {
      if (message.type === 'ui/focusInput') composer.focus();
      else dispatch({ type: 'host', message });
    },
  };
}
