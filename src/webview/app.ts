import type { ErrorAction, HostMessage, WebviewMessage } from '../shared/protocol.ts';
import type { VsCodeApi } from './vscodeApi.ts';
import type { ViewEvent, ViewModel } from './state.ts';
import { initialViewModel, isBusy, lastQuestionTurn, nextRevealStep, oldestId, reduce } from './state.ts';
import { createSetupCard } from './setupCard.ts';
import { createRequests } from './requests.ts';
import { createMarkdownRenderer } from './markdown.ts';
import type { MarkdownRenderer } from './markdown.ts';
import { createShell } from './renderShell.ts';
import { createComposer } from './composer.ts';
import { createMessageList } from './messageList.ts';
import { announcement } from './announce.ts';
import { spokenText } from './dom.ts';
import { createScrollKeeper, distanceFromBottom, isNearTop } from './scroll.ts';
import { createStateSaver } from './persist.ts';
import { handleCodeActions } from './codeActions.ts';
import { wireFind } from './findWiring.ts';
import { markCurrent, showRow, spokenRow } from './revealDom.ts';
import { wireTurns } from './turnWiring.ts';
import { createContextBar, wireHashCompletion } from './contextBar.ts';
import { createContextMeter } from './contextMeter.ts';
import { createAgentPicker, wireAgentCompletion } from './agentPicker.ts';

/** What the chat needs from its page; tests pass a jsdom window and a fake API. */
export interface AppOptions {
  root: HTMLElement;
  win: Window;
  api: VsCodeApi;
  /** Runs a render later; defaults to requestAnimationFrame, so a stream re-renders once per frame. */
  schedule?: (callback: () => void) => void;
  /** Makes request ids; defaults to random ones from the page's crypto. */
  newId?: () => string;
  /** How long typing in the find bar pauses before the thread is searched (default 150 ms). */
  findDelayMs?: number;
}

/** The running chat UI: feed it every message the host sends. */
export interface App {
  receive(message: HostMessage): void;
}

export function createApp(options: AppOptions): App {
  const { root, win, api } = options;
  const doc = root.ownerDocument;
  const schedule = options.schedule ?? ((callback: () => void) => win.requestAnimationFrame(() => callback()));
  const newId = options.newId ?? (() => randomId(win));
  const post = (message: WebviewMessage): void => api.postMessage(message);
  const requests = createRequests(post);
  const state = createStateSaver(api, schedule);
  const markdown = createMarkdownRenderer(win);
  const shell = createShell(doc, root, (command) => post({ type: 'command/run', command }));
  const scroll = createScrollKeeper(shell.log, state.current.scrollFromBottom);
  let model: ViewModel = initialViewModel;
  let renderQueued = false;
  let focusAfterRender = false;
  let marked: Pick<ViewModel, 'current' | 'turns'> = { current: undefined, turns: [] };

  const dispatch = (event: ViewEvent): void => {
    const previous = model;
    model = reduce(model, event);
    const spoken = announcement(previous, model, event, (text) => toSpoken(markdown, doc, text));
    if (spoken !== undefined) shell.status.textContent = spoken;
    if (event.type === 'olderLoaded') scroll.keepPosition();
    // A restored panel keeps its place only in the thread it was saved with; another thread opens at its end.
    const thread = model.snapshot?.thread.id;
    const shownBefore = previous.snapshot?.thread.id ?? state.current.threadId;
    if (thread !== undefined && shownBefore !== undefined && thread !== shownBefore) scroll.jumpTo(0);
    // The first snapshot (the panel opened or reloaded) and another thread (New, Switch, Fork) put the
    // cursor in the message box, where the next thing the user does happens.
    if (thread !== undefined && thread !== previous.snapshot?.thread.id) focusAfterRender = true;
    if (renderQueued) return;
    renderQueued = true;
    schedule(() => {
      renderQueued = false;
      render();
    });
  };
  const setupCard = createSetupCard({ doc, requests, newId, onApplied: () => composer.focus() });
  const onErrorAction = (action: ErrorAction): void => {
    if (action === 'setupModel') return setupCard.focus();
    if (action !== 'retry') return post({ type: 'command/run', command: action });
    const id = newId();
    dispatch({ type: 'retry', id });
    post({ type: 'chat/retry', id });
  };
  // Opening the fold of summarised turns may bring the top of the log, where older pages load, into play.
  const list = createMessageList(shell.log, markdown, onErrorAction, setupCard, () => loadOlderIfNeeded());
  const composer = createComposer(doc, {
    onSend(text) {
      const id = newId();
      scroll.jumpTo(0);
      dispatch({ type: 'send', id, text });
      post({ type: 'chat/send', id, text });
    },
    onStop() {
      if (!model.stream) return;
      post({ type: 'chat/abort', id: model.stream.id });
      dispatch({ type: 'abort' });
    },
    onDraftChange: (draft) => state.save({ draft }),
    onRecall() {
      const turnId = lastQuestionTurn(model);
      return turnId !== undefined && !isBusy(model) && turnActions.edit(turnId);
    },
  });
  const contextBar = createContextBar(doc, post, () => composer.focus());
  const meter = createContextMeter(doc, (command) => post({ type: 'command/run', command }));
  shell.footer.append(meter.meter);
  const agentPicker = createAgentPicker(doc, post);
  composer.actions.prepend(agentPicker.element);
  shell.composerSlot.append(meter.warning, contextBar.element, composer.element);
  wireHashCompletion(doc, composer.textarea, shell.composerSlot, requests, newId, post);
  wireAgentCompletion(doc, composer.textarea, shell.composerSlot, () => model.snapshot?.agents);
  /** A message the host could not store goes back to the box (before what was typed since), so nothing typed is lost. */
  const giveBack = (requestId: string): void => {
    const text = model.stream?.id === requestId ? model.stream.userText : undefined;
    if (text === undefined) return;
    const typed = composer.textarea.value;
    const draft = typed.trim() === '' ? text : `${text}\n${typed}`;
    composer.setDraft(draft);
    state.save({ draft });
  };
  composer.setDraft(state.current.draft);

  const find = wireFind({
    doc,
    win,
    requests,
    newId,
    dispatch: (event) => dispatch(event),
    model: () => model,
    focusComposer: () => composer.focus(),
    mac: /Mac|iPhone|iPad/.test(win.navigator.platform),
    delayMs: options.findDelayMs,
  });
  shell.findSlot.append(find.bar.element);

  const turnActions = wireTurns({ log: shell.log, post, newId, dispatch: (event) => dispatch(event), model: () => model, focusComposer: () => composer.focus() });

  const loadOlder = (): void => {
    const before = oldestId(model);
    if (!model.hasOlder || model.olderRequestId || model.olderFailed || before === undefined) return;
    const id = newId();
    dispatch({ type: 'loadOlder', id });
    requests.send({ type: 'thread/loadOlder', id, beforeId: before }).then(
      (page) => dispatch({ type: 'olderLoaded', id, page }),
      () => dispatch({ type: 'olderFailed', id }),
    );
  };
  const loadOlderIfNeeded = (): void => {
    // Turns loaded into a closed fold would not be seen; the fold's opening asks again.
    if (isNearTop(shell.log) && !list.olderFolded()) loadOlder();
  };
  /** Brings a pending search result or find match on screen, loading older pages until it is there. */
  const continueReveal = (): void => {
    const step = nextRevealStep(model);
    const label = model.reveal?.label;
    if (!step || step.kind === 'wait') return;
    if (step.kind === 'loadOlder') return loadOlder();
    if (step.kind === 'giveUp') {
      dispatch({ type: 'revealed', rowId: undefined });
      shell.status.textContent = 'Could not load that message.';
      return;
    }
    const shown = showRow(shell.log, step.rowId, step.turnId);
    dispatch({ type: 'revealed', rowId: shown?.rowId });
    if (shown) shell.status.textContent = `${label}: ${spokenRow(shown.element)}`;
  };
  const render = (): void => {
    const fromBottom = scroll.beforeRender();
    shell.update(model);
    find.bar.update(model.find);
    composer.setBusy(isBusy(model));
    contextBar.update(model.snapshot);
    meter.update(model.snapshot);
    agentPicker.update(model.snapshot);
    list.render(model);
    turnActions.rendered();
    // Before the first snapshot there is nothing to scroll, so the saved position waits for it.
    if (!model.snapshot) return;
    scroll.afterRender(fromBottom);
    if (state.current.threadId !== model.snapshot.thread.id) state.save({ threadId: model.snapshot.thread.id });
    loadOlderIfNeeded();
    continueReveal();
    // The mark can only change with the mark or the turns; a stream's frames leave both alone (and a
    // search of the whole log every frame costs more the longer the answer grows).
    if (model.current !== marked.current || model.turns !== marked.turns) {
      marked = { current: model.current, turns: model.turns };
      markCurrent(shell.log, model.current);
    }
    if (focusAfterRender) {
      focusAfterRender = false;
      if (!isTyping(doc, composer.textarea)) composer.focus();
    }
  };

  shell.log.addEventListener('scroll', () => {
    state.save({ scrollFromBottom: distanceFromBottom(shell.log) });
    loadOlderIfNeeded();
  });
  // The mark of a revealed message lasts until the user's next key press or click (capture: before
  // the key or click itself may reveal the next match).
  const userAction = (): void => {
    if (model.current !== undefined) dispatch({ type: 'userAction' });
  };
  doc.addEventListener('keydown', userAction, true);
  // Escape stops a running answer wherever the focus is in the panel, except in a box that owns
  // Escape itself (the find bar closes, an edited question cancels: they mark the event handled).
  doc.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || event.defaultPrevented || !isBusy(model)) return;
    event.preventDefault();
    composer.stop();
  });
  doc.addEventListener('mousedown', userAction, true);
  handleCodeActions(shell.log, post, (text) => (shell.status.textContent = text), win);
  render();
  post({ type: 'ready' });
  return {
    receive(message) {
      if (message.type === 'ui/focusInput') composer.focus();
      else if (message.type === 'ui/openFind') find.open(true);
      else if (message.type === 'reply') requests.receive(message);
      else {
        if (message.type === 'chat/error' && message.unsent) giveBack(message.id);
        dispatch({ type: 'host', message });
        if (message.type === 'thread/snapshot') find.snapshotShown();
      }
    },
  };
}

/** The user is typing somewhere other than the message box (find bar, an edited question, the setup card). */
function isTyping(doc: Document, messageBox: HTMLElement): boolean {
  const active = doc.activeElement;
  return active !== null && active !== messageBox && /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName);
}

/** Markdown as the words a screen reader should say, for the status line. */
function toSpoken(markdown: MarkdownRenderer, doc: Document, text: string): string {
  const scratch = doc.createElement('div');
  markdown.renderInto(scratch, text);
  return spokenText(scratch);
}

/** randomUUID exists only in secure contexts; a browser reaching code-server over plain http has none. */
function randomId(win: Window): string {
  if (typeof win.crypto.randomUUID === 'function') return win.crypto.randomUUID();
  return Array.from(win.crypto.getRandomValues(new Uint8Array(16)), (byte) => byte.toString(16).padStart(2, '0')).join('');
}
