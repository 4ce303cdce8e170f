import type { ErrorAction, ErrorView, ViewTurn } from '../shared/protocol.ts';
import { needsSetup, type ViewModel } from './state.ts';
import type { SetupCard } from './setupCard.ts';
import type { MarkdownRenderer } from './markdown.ts';
import { codicon, element } from './dom.ts';
import { renderTurn, renderUser } from './renderMessages.ts';
import type { TurnOptions } from './turnActions.ts';
import { createStreamView, renderEmpty, renderError } from './renderLive.ts';
import type { StreamView } from './renderLive.ts';
import { isSummaryTurn, summaryFold, type SummaryFold } from './summaryFold.ts';

/** The contents of the message log, re-rendered from the view model on every change. */
export interface MessageList {
  render(model: ViewModel): void;
  /** The oldest shown turn is inside a closed fold: loading older pages on scroll would only add to it unseen. */
  olderFolded(): boolean;
}

/**
 * Turn elements are cached by their id and content, so a new snapshot re-renders only what changed:
 * Markdown is not parsed again, open `<details>` stay open and unchanged nodes are not announced.
 */
export function createMessageList(log: HTMLElement, markdown: MarkdownRenderer, onErrorAction: (action: ErrorAction) => void, setup: SetupCard, onFoldToggle: () => void = () => undefined): MessageList {
  const doc = log.ownerDocument;
  let turnCache = new Map<string, HTMLElement>();
  // A stream re-renders every frame: the cache key of a turn the reducer did not replace is not built again.
  const contentKeys = new WeakMap<ViewTurn, string>();
  let stream: { id: string; view: StreamView; user?: HTMLElement } | undefined;
  let error: { key: string; element: HTMLElement } | undefined;
  const empty = renderEmpty(doc);
  const older = element(doc, 'div', 'older-marker');
  let folded: { summaryId: number; element: HTMLDetailsElement; label: HTMLElement; body: HTMLElement } | undefined;

  /** The `<details>` that holds the turns a summary covers; the same element while the summary is shown, so it stays open. */
  const foldElement = (fold: SummaryFold, hasOlder: boolean): NonNullable<typeof folded> => {
    if (folded?.summaryId !== fold.summaryId) {
      const details = element(doc, 'details', 'summarised-turns');
      const summary = element(doc, 'summary');
      const label = element(doc, 'span');
      summary.append(codicon(doc, 'fold'), label);
      const body = element(doc, 'div', 'summarised-body');
      details.append(summary, body);
      details.addEventListener('toggle', onFoldToggle);
      folded = { summaryId: fold.summaryId, element: details, label, body };
    }
    // Until every page is loaded the summary knows better how many turns it covers.
    const count = hasOlder ? Math.max(fold.summarised, fold.count) : fold.count;
    folded.label.textContent = `${count === 1 ? '1 earlier turn' : `${count} earlier turns`} (summarised below)`;
    return folded;
  };

  const turnElement = (turn: ViewTurn, options: TurnOptions, next: Map<string, HTMLElement>): HTMLElement => {
    // The edited text is not in the key: typing must not rebuild the box it types in.
    let content = contentKeys.get(turn);
    if (content === undefined) contentKeys.set(turn, (content = JSON.stringify([turn.entries, turn.versions, turn.answer])));
    const key = `${turn.id}\u0000${content}\u0000${options.regenerate}\u0000${options.editing !== undefined}`;
    const node = turnCache.get(key) ?? renderTurn(doc, turn, markdown, options);
    next.set(key, node);
    return node;
  };

  const streamElements = (model: ViewModel): HTMLElement[] => {
    const live = model.stream;
    if (!live) {
      stream = undefined;
      return [];
    }
    if (stream?.id !== live.id) {
      stream = { id: live.id, view: createStreamView(doc, markdown), user: live.userText === undefined ? undefined : renderUser(doc, live.userText) };
    }
    stream.view.update(live);
    // Our own message shows until a snapshot holds the stored copy of it (the reducer drops userText then).
    return live.userText !== undefined && stream.user ? [stream.user, stream.view.element] : [stream.view.element];
  };

  const errorElement = (view: ErrorView | undefined): HTMLElement[] => {
    if (!view) {
      error = undefined;
      return [];
    }
    const key = JSON.stringify(view);
    // Reusing the node keeps an unchanged error from being announced again by its alert role.
    if (error?.key !== key) error = { key, element: renderError(doc, view, onErrorAction) };
    return [error.element];
  };

  return {
    render(model) {
      const next = new Map<string, HTMLElement>();
      const nodes: HTMLElement[] = [];
      const markers: HTMLElement[] = [];
      if (model.hasOlder && !model.olderFailed) {
        older.textContent = model.olderRequestId ? 'Loading earlier messages…' : 'Scroll up for earlier messages';
        markers.push(older);
      }
      const last = model.turns.at(-1);
      const turnNodes = model.turns.map((turn) => turnElement(turn, turnOptions(model, turn, turn === last), next));
      const fold = summaryFold(model.turns);
      if (fold) {
        // The covered turns, and the marker of older ones, go inside the fold: paging goes on in there.
        const shown = foldElement(fold, model.hasOlder);
        syncChildren(shown.body, [...markers, ...turnNodes.slice(0, fold.count)]);
        nodes.push(shown.element, ...turnNodes.slice(fold.count));
      } else {
        folded = undefined;
        nodes.push(...markers, ...turnNodes);
      }
      nodes.push(...streamElements(model), ...errorElement(model.error));
      // With no usable model, the setup card takes the place of the empty state (or follows the error).
      if (model.snapshot && needsSetup(model)) {
        setup.show(model.snapshot.setup);
        nodes.push(setup.element);
      }
      if (model.snapshot && nodes.length === 0) nodes.push(empty);
      turnCache = next;
      syncChildren(log, nodes);
    },
    olderFolded: () => folded !== undefined && folded.element.isConnected && !folded.element.open,
  };
}

/** The last answer can be regenerated while nothing streams; one question can be open for editing. */
function turnOptions(model: ViewModel, turn: ViewTurn, last: boolean): TurnOptions {
  const regenerate = last && model.stream === undefined && !isSummaryTurn(turn) && turn.entries.some((entry) => entry.kind !== 'user');
  return model.editing?.turnId === turn.id ? { regenerate, editing: model.editing.text } : { regenerate };
}

/** Makes `parent`'s children exactly `nodes`, moving as few nodes as possible. */
function syncChildren(parent: HTMLElement, nodes: HTMLElement[]): void {
  nodes.forEach((node, index) => {
    const current = parent.children[index];
    if (current !== node) parent.insertBefore(node, current ?? null);
  });
  while (parent.children.length > nodes.length) parent.lastElementChild?.remove();
}
