import { element } from './dom.ts';

/** One choice: what it inserts or picks, and a dim detail after it. */
export interface CompletionItem {
  value: string;
  /** The option's visible text when it is not `value` (e.g. `@billing` for `billing`). */
  label?: string;
  detail?: string;
}

/** A list of choices under the message box while a word is typed (`#file`, `@agent`). */
export interface CompletionList {
  /** Shows these choices, the first one active; an empty list closes. */
  open(items: readonly CompletionItem[]): void;
  close(): void;
}

export interface CompletionOptions {
  /** Extra class of the list (it always has `completion-list`). */
  className: string;
  /** The list's accessible name, e.g. "Files to attach". */
  label: string;
  /** Prefix of the list's and its options' ids; unique on the page. */
  id: string;
  /** The user chose `item` (Enter, Tab or a click). */
  choose(item: string): void;
}

/**
 * The listbox of a completion: Up/Down move, Enter or Tab choose, Escape closes, a click chooses.
 * The message box keeps the focus and points at the active option (`aria-activedescendant`), so a
 * screen reader reads the option as it moves.
 */
export function createCompletionList(doc: Document, textarea: HTMLTextAreaElement, slot: HTMLElement, options: CompletionOptions): CompletionList {
  const list = element(doc, 'ul', `completion-list ${options.className}`);
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', options.label);
  list.id = options.id;
  list.hidden = true;
  slot.append(list);
  let items: readonly CompletionItem[] = [];
  let active = 0;

  const close = (): void => {
    if (list.hidden) return;
    list.hidden = true;
    items = [];
    textarea.removeAttribute('aria-activedescendant');
    textarea.setAttribute('aria-expanded', 'false');
  };
  const choose = (index: number): void => {
    const item = items[index];
    close();
    if (item !== undefined) options.choose(item.value);
  };
  const show = (): void => {
    list.replaceChildren(...items.map((item, index) => {
      const option = element(doc, 'li', index === active ? 'active' : undefined, item.label ?? item.value);
      if (item.detail) option.append(element(doc, 'span', 'completion-detail', ` — ${item.detail}`));
      option.id = `${options.id}-${index}`;
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', String(index === active));
      option.addEventListener('mousedown', (event) => {
        event.preventDefault();
        choose(index);
      });
      return option;
    }));
    list.hidden = items.length === 0;
    textarea.setAttribute('aria-controls', list.id);
    textarea.setAttribute('aria-expanded', String(items.length > 0));
    if (items.length > 0) textarea.setAttribute('aria-activedescendant', `${options.id}-${active}`);
  };

  // Capture: the list owns Enter, Tab, Up, Down and Escape while it is open (Enter must not send).
  textarea.addEventListener('keydown', (event) => {
    if (list.hidden || items.length === 0) return;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      active = (active + (event.key === 'ArrowDown' ? 1 : items.length - 1)) % items.length;
      show();
    } else if (event.key === 'Enter' || event.key === 'Tab') choose(active);
    else if (event.key === 'Escape') close();
    else return;
    event.preventDefault();
    event.stopImmediatePropagation();
  }, true);
  textarea.addEventListener('blur', close);
  return {
    open(next) {
      if (next.length === 0) return close();
      items = next;
      active = 0;
      show();
    },
    close,
  };
}
