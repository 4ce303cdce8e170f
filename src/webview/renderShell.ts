import type { PanelCommand } from '../shared/protocol.ts';
import type { ViewModel } from './state.ts';
import { codicon, element } from './dom.ts';

/**
 * The fixed frame of the panel: header, find bar slot, message log, live status, composer slot and
 * footer. The thread's actions (New, Switch, Undo, Redo, Clear, ...) are not repeated here: VS Code
 * shows them once in the editor's title bar or the view's title (package.json `menus`), and they stay
 * in the command palette and on their keybindings.
 */
export interface Shell {
  /** Where the find bar goes: at the top, between the header and the log. */
  readonly findSlot: HTMLElement;
  readonly log: HTMLElement;
  readonly status: HTMLElement;
  readonly composerSlot: HTMLElement;
  /** The footer, after the model's name (the context meter goes there). */
  readonly footer: HTMLElement;
  update(model: ViewModel): void;
}

export function createShell(doc: Document, root: HTMLElement, run: (command: PanelCommand) => void): Shell {
  const header = element(doc, 'header', 'chat-header');
  const title = element(doc, 'h1', 'thread-title', 'Session Chat');
  const pin = codicon(doc, 'pinned');
  pin.classList.add('thread-pin');
  pin.title = 'Pinned thread';
  header.append(pin, title);

  // The log's own live region is turned off: the status line announces instead, so a streaming
  // answer is read once when it finishes rather than token by token.
  const log = element(doc, 'main', 'message-log');
  log.setAttribute('role', 'log');
  log.setAttribute('aria-label', 'Conversation');
  log.setAttribute('aria-live', 'off');
  log.tabIndex = 0;
  const status = element(doc, 'div', 'visually-hidden');
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');

  const findSlot = element(doc, 'div', 'find-slot');
  const composerSlot = element(doc, 'div', 'composer-slot');
  const footer = element(doc, 'footer', 'chat-footer');
  const model = element(doc, 'button', 'model-button');
  model.type = 'button';
  const modelName = element(doc, 'span', 'model-name', '');
  model.append(codicon(doc, 'sparkle'), modelName);
  model.addEventListener('click', () => run('selectModel'));
  footer.append(model);
  root.replaceChildren(header, findSlot, log, status, composerSlot, footer);

  return {
    findSlot,
    log,
    status,
    composerSlot,
    footer,
    update(view) {
      const snapshot = view.snapshot;
      title.textContent = snapshot?.thread.title || 'New thread';
      title.title = title.textContent;
      pin.hidden = snapshot?.thread.pinned !== true;
      if (snapshot?.thread.pinned) title.setAttribute('aria-label', `${title.textContent} (pinned)`);
      else title.removeAttribute('aria-label');
      modelName.textContent = snapshot?.model ?? '';
      model.setAttribute('aria-label', `Model: ${snapshot?.model ?? 'unknown'}. Select model`);
      model.title = 'Select Model';
    },
  };
}
