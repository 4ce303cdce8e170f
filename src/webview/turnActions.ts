import type { ViewTurn } from '../shared/protocol.ts';
import { codicon, element, iconButton } from './dom.ts';

/**
 * The buttons of a message, found by the one click listener of the log (see turnWiring.ts) through
 * `data-turn-action`; the turn they act on is the `data-turn-id` of their `.turn`.
 */
export type TurnAction = 'edit' | 'regenerate' | 'previous' | 'next' | 'fork' | 'sendEdit' | 'cancelEdit';

/** What a turn's rendering needs besides the turn. */
export interface TurnOptions {
  /** The text of the question open for editing in this turn; undefined when it is not edited. */
  editing?: string;
  /** This turn holds the thread's last answer and nothing runs: it offers "Regenerate answer". */
  regenerate: boolean;
}

function actionButton(doc: Document, action: TurnAction, icon: string, label: string): HTMLButtonElement {
  // The click is handled by the log's one listener, so the button itself needs none.
  const button = iconButton(doc, icon, label, () => undefined);
  button.dataset.turnAction = action;
  return button;
}

/** A message's action bar: shown on hover and whenever focus is inside the message (keyboard users reach it with Tab). */
export function messageActions(doc: Document, buttons: HTMLElement[]): HTMLElement {
  const bar = element(doc, 'div', 'message-actions');
  bar.append(...buttons);
  return bar;
}

/** The user message's buttons: Edit (not while its box is open) and Fork. */
export function userActions(doc: Document, editing: boolean): HTMLElement {
  return messageActions(doc, [...(editing ? [] : [actionButton(doc, 'edit', 'edit', 'Edit message')]), forkButton(doc)]);
}

/** The answer's buttons: Regenerate on the last answer, Fork on every one. */
export function answerActions(doc: Document, regenerate: boolean): HTMLElement {
  const buttons = regenerate ? [actionButton(doc, 'regenerate', 'refresh', 'Regenerate answer')] : [];
  return messageActions(doc, [...buttons, forkButton(doc)]);
}

function forkButton(doc: Document): HTMLButtonElement {
  return actionButton(doc, 'fork', 'repo-forked', 'Fork thread from here');
}

/** "‹ 2 / 3 ›": the version shown and the buttons to the others; the ends are disabled. */
export function versionSwitcher(doc: Document, versions: NonNullable<ViewTurn['versions']>): HTMLElement {
  const group = element(doc, 'div', 'version-switcher');
  group.setAttribute('role', 'group');
  group.setAttribute('aria-label', `Version ${versions.index} of ${versions.count}`);
  const previous = actionButton(doc, 'previous', 'chevron-left', 'Previous version');
  previous.disabled = versions.index <= 1;
  const next = actionButton(doc, 'next', 'chevron-right', 'Next version');
  next.disabled = versions.index >= versions.count;
  const label = element(doc, 'span', 'version-label', `${versions.index} / ${versions.count}`);
  // The group's label says it in words; "2 / 3" read as a division would only confuse.
  label.setAttribute('aria-hidden', 'true');
  group.append(previous, label, next);
  return group;
}

/**
 * The question open in place: a box labelled "Edited message" with "Send edit" and "Cancel". Enter
 * sends and Shift+Enter makes a new line, as in the message box; Escape cancels (turnWiring.ts).
 */
export function editBox(doc: Document, text: string): HTMLElement {
  const box = element(doc, 'div', 'edit-box');
  const textarea = element(doc, 'textarea', 'edit-input');
  textarea.setAttribute('aria-label', 'Edited message');
  textarea.value = text;
  textarea.rows = Math.min(10, Math.max(2, text.split('\n').length));
  const send = element(doc, 'button', 'text-button primary');
  send.type = 'button';
  send.dataset.turnAction = 'sendEdit';
  send.append(codicon(doc, 'send'), element(doc, 'span', undefined, 'Send edit'));
  send.setAttribute('aria-label', 'Send edit');
  send.disabled = text.trim() === '';
  const cancel = element(doc, 'button', 'text-button');
  cancel.type = 'button';
  cancel.dataset.turnAction = 'cancelEdit';
  cancel.append(codicon(doc, 'close'), element(doc, 'span', undefined, 'Cancel'));
  cancel.setAttribute('aria-label', 'Cancel');
  const buttons = element(doc, 'div', 'edit-actions');
  buttons.append(send, cancel);
  box.append(textarea, buttons);
  return box;
}
