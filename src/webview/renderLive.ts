import type { ErrorAction, ErrorView } from '../shared/protocol.ts';
import type { LiveStream } from './state.ts';
import type { MarkdownRenderer } from './markdown.ts';
import { codicon, element, spokenText, textButton, truncate } from './dom.ts';
import { messageArticle } from './renderMessages.ts';
import { decorateAnswer } from './answerInfo.ts';

/** The streaming answer; its element is kept across frames and only its last Markdown block re-rendered. */
export interface StreamView {
  readonly element: HTMLElement;
  update(stream: LiveStream): void;
  /** The answer as a screen reader should hear it. */
  spokenText(): string;
}

export function createStreamView(doc: Document, markdown: MarkdownRenderer): StreamView {
  const article = messageArticle(doc, 'assistant', 'sparkle', 'Assistant', 'Assistant is answering');
  article.classList.add('streaming');
  const body = element(doc, 'div', 'message-body markdown-body');
  const waiting = element(doc, 'p', 'waiting');
  waiting.append(codicon(doc, 'loading'), element(doc, 'span', undefined, 'Thinking…'));
  waiting.firstElementChild?.classList.add('codicon-modifier-spin');
  article.append(body);
  const live = markdown.live(body);
  let rendered: string | undefined;
  let labelled = false;
  return {
    element: article,
    update(stream) {
      if (stream.agent && !labelled) {
        decorateAnswer(doc, article, { agent: stream.agent });
        labelled = true;
      }
      // Screen readers hold a busy region's changes, so they are not read token by token.
      article.setAttribute('aria-busy', String(!stream.finished));
      article.classList.toggle('streaming', !stream.finished);
      if (rendered !== stream.text) {
        // While it streams only the last block is rendered again. The one full render of the whole
        // answer comes with the snapshot that follows `chat/done` (the stored turn replaces this view);
        // a view that starts finished (an answer that could not be saved) is rendered whole at once.
        if (!stream.text) body.replaceChildren(waiting);
        else if (stream.finished) live.finish(stream.text);
        else live.update(stream.text);
        rendered = stream.text;
      }
      const who = stream.agent ? `Assistant @${stream.agent}` : 'Assistant';
      article.setAttribute('aria-label', stream.finished ? `${who}: ${truncate(spokenText(body), 100)}` : `${who} is answering`);
    },
    spokenText: () => spokenText(body),
  };
}

const actionLabels: Record<ErrorAction, { icon: string; text: string }> = {
  retry: { icon: 'refresh', text: 'Retry' },
  setApiKey: { icon: 'key', text: 'Set API Key' },
  openSettings: { icon: 'settings-gear', text: 'Open Settings' },
  selectModel: { icon: 'sparkle', text: 'Select Model' },
  saveAnswer: { icon: 'save', text: 'Save Again' },
  // The setup card itself shows under the error; this button takes the cursor there.
  setupModel: { icon: 'server', text: 'Choose a Model Server' },
  reconnectStore: { icon: 'refresh', text: 'Retry' },
};

/** The error under the last message, with a button per action the host offers. */
export function renderError(doc: Document, error: ErrorView, onAction: (action: ErrorAction) => void): HTMLElement {
  const box = element(doc, 'div', 'error-box');
  box.setAttribute('role', 'alert');
  const message = element(doc, 'p', 'error-message');
  message.append(codicon(doc, 'error'), element(doc, 'span', undefined, error.message));
  const actions = element(doc, 'div', 'error-actions');
  for (const action of error.actions) {
    const { icon, text } = actionLabels[action];
    actions.append(textButton(doc, icon, text, () => onAction(action), action === 'retry' || action === 'saveAnswer' || action === 'reconnectStore' ? 'text-button primary' : 'text-button'));
  }
  box.append(message, actions);
  return box;
}

/** What an empty thread shows instead of messages. */
export function renderEmpty(doc: Document): HTMLElement {
  const empty = element(doc, 'div', 'empty-state');
  const icon = codicon(doc, 'comment-discussion');
  icon.classList.add('empty-icon');
  empty.append(
    icon,
    element(doc, 'p', 'empty-title', 'Start a conversation'),
    element(doc, 'p', 'empty-hint', 'Ask about your code below. This thread is saved with your workspace, so it will still be here after a restart.'),
  );
  return empty;
}
