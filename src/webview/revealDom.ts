import { spokenText, truncate } from './dom.ts';

/** Longest part of a found message read out with "Found: …". */
const spokenLength = 120;

/**
 * The element that shows stored row `rowId`: an entry inside an answer (a tool call, its merged
 * output, reasoning) before the article that starts with the same row, since the deeper element
 * is the one to scroll to.
 */
export function rowElement(log: HTMLElement, rowId: number): HTMLElement | undefined {
  const found = log.querySelectorAll<HTMLElement>(`.turn [data-row-id="${rowId}"], .turn [data-output-row-id="${rowId}"]`);
  return found[found.length - 1];
}

/** The first message of a turn, for a row that is not rendered on its own (an unreadable item). */
function turnArticle(log: HTMLElement, turnId: number | undefined): HTMLElement | undefined {
  if (turnId === undefined) return undefined;
  return log.querySelector<HTMLElement>(`.turn[data-turn-id="${turnId}"] article`) ?? undefined;
}

/** What was brought on screen, and the row id that names it from now on. */
export interface ShownRow {
  element: HTMLElement;
  rowId: number | undefined;
}

/**
 * Scrolls the row (else the first message of its turn) into view, opening the collapsed tool
 * call or reasoning and the fold of summarised turns that hold it; undefined when neither is rendered.
 */
export function showRow(log: HTMLElement, rowId: number, turnId: number | undefined): ShownRow | undefined {
  const row = rowElement(log, rowId);
  const element = row ?? turnArticle(log, turnId);
  if (!element) return undefined;
  // Every closed `<details>` around it opens: a tool call, and the fold of turns a summary covers.
  for (let details = element.closest('details'); details; details = details.parentElement?.closest('details') ?? null) {
    if (!details.open) details.open = true;
  }
  // A message taller than the log shows from its start; a shorter one sits in the middle.
  const block = element.offsetHeight > log.clientHeight ? 'start' : 'center';
  if (typeof element.scrollIntoView === 'function') element.scrollIntoView({ block });
  const named = row ? rowId : Number(element.dataset.rowId);
  return { element, rowId: Number.isSafeInteger(named) ? named : undefined };
}

/** Marks the article that holds row `rowId` with `aria-current="true"`, and no other. */
export function markCurrent(log: HTMLElement, rowId: number | undefined): void {
  const article = rowId === undefined ? undefined : rowElement(log, rowId)?.closest('article');
  for (const marked of Array.from(log.querySelectorAll('article[aria-current]'))) {
    if (marked !== article) marked.removeAttribute('aria-current');
  }
  if (article && article.getAttribute('aria-current') !== 'true') article.setAttribute('aria-current', 'true');
}

/** The first words of a found message, as a screen reader should hear them. */
export function spokenRow(element: HTMLElement): string {
  if (element.tagName === 'ARTICLE') return element.getAttribute('aria-label') ?? truncate(spokenText(element), spokenLength);
  const author = element.closest('article')?.classList.contains('user') ? 'You said' : 'Assistant';
  return `${author}: ${truncate(spokenText(element), spokenLength)}`;
}
