import type { WebviewMessage } from '../shared/protocol.ts';
import { codeOfButton } from './markdown.ts';

/** One listener on the log serves the Copy and Insert at Cursor buttons of every code block. */
export function handleCodeActions(log: HTMLElement, post: (message: WebviewMessage) => void, announce: (text: string) => void, win: Window): void {
  log.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest?.('[data-code-action]');
    if (!button) return;
    const code = codeOfButton(button);
    if (button.getAttribute('data-code-action') === 'insert') {
      post({ type: 'code/insert', code });
      return;
    }
    post({ type: 'code/copy', code });
    confirmCopy(button, win);
    announce('Code copied');
  });
}

/** The host does the copying; the button says it happened for a moment. */
function confirmCopy(button: Element, win: Window): void {
  const caption = button.lastElementChild;
  if (!caption || caption.textContent === 'Copied') return;
  const original = caption.textContent;
  caption.textContent = 'Copied';
  win.setTimeout(() => (caption.textContent = original), 1500);
}
