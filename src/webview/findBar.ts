import type { FindState } from './findState.ts';
import { findCount } from './findState.ts';
import { element, iconButton } from './dom.ts';

/** What the find bar asks of the app. */
export interface FindBarCallbacks {
  onInput(query: string): void;
  onStep(direction: 'next' | 'previous'): void;
  /** Escape or the close button: the app hides the bar and puts the cursor back in the message box. */
  onClose(): void;
}

/** The find bar at the top of the panel: a box, the count, Previous / Next and Close. */
export interface FindBar {
  readonly element: HTMLElement;
  readonly input: HTMLInputElement;
  update(find: FindState): void;
  /** Shows the bar at once (before the next render) and puts the cursor in the box, its text selected. */
  focus(): void;
}

/** The parts of a keydown the find box looks at. */
export interface FindKey {
  key: string;
  shiftKey: boolean;
  isComposing?: boolean;
  keyCode?: number;
}

/** Enter = next match, Shift+Enter = previous, Escape = close; nothing while an input method composes. */
export function findKeyAction(event: FindKey): 'next' | 'previous' | 'close' | undefined {
  if (event.isComposing || event.keyCode === 229) return undefined;
  if (event.key === 'Escape') return 'close';
  if (event.key === 'Enter') return event.shiftKey ? 'previous' : 'next';
  return undefined;
}

/** Ctrl+F (Cmd+F on macOS) opens the find bar, as in every editor. */
export function isFindShortcut(event: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }, mac: boolean): boolean {
  const modifier = mac ? event.metaKey && !event.ctrlKey : event.ctrlKey && !event.metaKey;
  return modifier && !event.altKey && !event.shiftKey && event.key.toLowerCase() === 'f';
}

export function createFindBar(doc: Document, callbacks: FindBarCallbacks): FindBar {
  const bar = element(doc, 'div', 'find-bar');
  bar.setAttribute('role', 'search');
  bar.hidden = true;
  const input = element(doc, 'input', 'find-input');
  input.type = 'text';
  input.setAttribute('aria-label', 'Find in thread');
  input.placeholder = 'Find in thread';
  input.spellcheck = false;
  const count = element(doc, 'span', 'find-count');
  count.id = 'find-count';
  input.setAttribute('aria-describedby', count.id);
  // Next walks up to older messages and Previous back down (see findState.ts): the arrows show
  // the way each one moves in the log.
  const previous = iconButton(doc, 'arrow-down', 'Previous match', () => callbacks.onStep('previous'));
  previous.title = 'Previous match (Shift+Enter)';
  const next = iconButton(doc, 'arrow-up', 'Next match', () => callbacks.onStep('next'));
  next.title = 'Next match (Enter)';
  const close = iconButton(doc, 'close', 'Close find', () => callbacks.onClose());
  close.title = 'Close (Escape)';
  bar.append(input, count, next, previous, close);

  let composing = false;
  input.addEventListener('compositionstart', () => (composing = true));
  input.addEventListener('compositionend', () => (composing = false));
  input.addEventListener('input', () => callbacks.onInput(input.value));
  input.addEventListener('keydown', (event) => {
    const action = composing ? undefined : findKeyAction(event);
    if (!action || action === 'close') return;
    event.preventDefault();
    callbacks.onStep(action);
  });
  // Escape anywhere in the bar (the box or a button) closes it.
  bar.addEventListener('keydown', (event) => {
    if (composing || findKeyAction(event) !== 'close') return;
    event.preventDefault();
    event.stopPropagation();
    callbacks.onClose();
  });

  return {
    element: bar,
    input,
    update(find) {
      bar.hidden = !find.open;
      if (input.value !== find.query) input.value = find.query;
      count.textContent = findCount(find);
      // A box whose text was not searched yet still moves: the step searches first.
      const noResults = find.query === find.searched && find.searched !== '' && find.matches.length === 0;
      next.disabled = previous.disabled = find.query.trim() === '' || noResults;
      bar.classList.toggle('no-results', noResults);
    },
    focus() {
      bar.hidden = false;
      input.focus();
      input.select();
    },
  };
}
