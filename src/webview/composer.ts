import { element, iconButton } from './dom.ts';

/** The parts of a keydown the composer looks at. */
export interface SendKey {
  key: string;
  shiftKey: boolean;
  altKey?: boolean;
  isComposing?: boolean;
  /** 229 is what browsers report for a key an input method is still processing. */
  keyCode?: number;
}

/** Enter sends; Shift+Enter (and Alt+Enter) make a new line; nothing sends while an IME composes. */
export function isSendKey(event: SendKey): boolean {
  return event.key === 'Enter' && !event.shiftKey && !event.altKey && !event.isComposing && event.keyCode !== 229;
}

export interface ComposerCallbacks {
  onSend(text: string): void;
  onStop(): void;
  onDraftChange(draft: string): void;
  /** Up in the empty box: open the last question for editing; false when there is none. */
  onRecall(): boolean;
}

/** Up with no modifier, outside an input method's composition. */
function isRecallKey(event: KeyboardEvent): boolean {
  return event.key === 'ArrowUp' && !event.shiftKey && !event.altKey && !event.ctrlKey && !event.metaKey && !event.isComposing;
}

/** The message box with its Send and Stop buttons. */
export interface Composer {
  readonly element: HTMLElement;
  readonly textarea: HTMLTextAreaElement;
  /** The buttons after the box (Stop, Send); what goes before Send (the agent picker) is put first in it. */
  readonly actions: HTMLElement;
  setBusy(busy: boolean): void;
  setDraft(draft: string): void;
  focus(): void;
  /** Stop, as its button: the running answer ends and the cursor returns to the box. */
  stop(): void;
}

export function createComposer(doc: Document, callbacks: ComposerCallbacks): Composer {
  const root = element(doc, 'div', 'composer');
  const textarea = element(doc, 'textarea', 'composer-input');
  textarea.setAttribute('aria-label', 'Message');
  textarea.placeholder = 'Ask anything (Shift+Enter for a new line)';
  textarea.rows = 1;
  let busy = false;
  // Safari reports isComposing=false on the Enter that ends a composition; track it ourselves too.
  let composing = false;

  const send = (): void => {
    const text = textarea.value;
    if (busy || !text.trim()) return;
    callbacks.onSend(text);
    textarea.value = '';
    update();
    callbacks.onDraftChange('');
    textarea.focus();
  };
  const sendButton = iconButton(doc, 'send', 'Send', send);
  sendButton.classList.add('send-button');
  const stop = (): void => {
    callbacks.onStop();
    textarea.focus();
  };
  const stopButton = iconButton(doc, 'debug-stop', 'Stop (Escape)', stop);
  stopButton.setAttribute('aria-label', 'Stop');
  stopButton.classList.add('stop-button');

  const update = (): void => {
    sendButton.disabled = busy || !textarea.value.trim();
    stopButton.hidden = !busy;
    stopButton.disabled = !busy;
    fitHeight(textarea);
  };

  textarea.addEventListener('compositionstart', () => (composing = true));
  textarea.addEventListener('compositionend', () => (composing = false));
  textarea.addEventListener('keydown', (event) => {
    if (composing) return;
    if (isRecallKey(event) && textarea.value === '') {
      if (callbacks.onRecall()) event.preventDefault();
      return;
    }
    if (!isSendKey(event)) return;
    event.preventDefault();
    send();
  });
  textarea.addEventListener('input', () => {
    update();
    callbacks.onDraftChange(textarea.value);
  });

  const actions = element(doc, 'div', 'composer-actions');
  actions.append(stopButton, sendButton);
  root.append(textarea, actions);
  update();
  return {
    element: root,
    textarea,
    actions,
    setBusy(value) {
      busy = value;
      update();
    },
    setDraft(draft) {
      textarea.value = draft;
      update();
    },
    focus: () => textarea.focus(),
    stop,
  };
}

/** Grows the box with its text up to the CSS max-height, then it scrolls. */
function fitHeight(textarea: HTMLTextAreaElement): void {
  textarea.style.height = 'auto';
  if (textarea.scrollHeight > 0) textarea.style.height = `${textarea.scrollHeight}px`;
}
