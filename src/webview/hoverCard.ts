import { element } from './dom.ts';

/** Ids of the cards on the page; each card's trigger is described by its card through this id. */
let cards = 0;

/** A trigger with a small card of lines that shows on hover and on keyboard focus. */
export interface HoverCard {
  /** The trigger and its card, to put in the page. */
  readonly element: HTMLElement;
  /** Replaces the card's lines. */
  setLines(lines: readonly string[]): void;
}

/**
 * Wraps `trigger` (a focusable element) with a card that CSS shows while the pointer is over it or
 * the focus is on it (agentsUsage.css), so a keyboard user reaches it with Tab. The card is the
 * trigger's description (`aria-describedby`), so a screen reader says it with the trigger. Escape
 * hides it until the pointer or focus leaves, as a tooltip must be dismissible without moving.
 */
export function hoverCard(doc: Document, trigger: HTMLElement, className: string, lines: readonly string[] = []): HoverCard {
  const wrap = element(doc, 'span', `hover-card-anchor ${className}`);
  const card = element(doc, 'div', 'hover-card');
  card.id = `hover-card-${++cards}`;
  card.setAttribute('role', 'tooltip');
  trigger.setAttribute('aria-describedby', card.id);
  wrap.append(trigger, card);
  const setLines = (next: readonly string[]): void => {
    card.replaceChildren(...next.map((line) => element(doc, 'div', 'hover-card-line', line)));
  };
  setLines(lines);
  trigger.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || wrap.classList.contains('dismissed')) return;
    wrap.classList.add('dismissed');
    // Escape also stops a running answer; closing the card is all this key press should do.
    event.preventDefault();
    event.stopPropagation();
  });
  const reset = (): void => wrap.classList.remove('dismissed');
  wrap.addEventListener('mouseleave', reset);
  trigger.addEventListener('blur', reset);
  return { element: wrap, setLines };
}
