import type { ViewEntry, ViewTurn } from '../shared/protocol.ts';
import type { MarkdownRenderer } from './markdown.ts';
import { codicon, element, spokenText, truncate } from './dom.ts';
import { answerActions, editBox, userActions, versionSwitcher, type TurnOptions } from './turnActions.ts';
import { decorateAnswer } from './answerInfo.ts';

/** Longest part of a message repeated in its aria-label. */
const labelLength = 100;

/**
 * One turn: the user's article, then one assistant article with everything the model did. Each
 * article and each entry inside an answer carries the stored row id it shows (`data-row-id`; a
 * tool call's merged output also `data-output-row-id`), so a search result or find match can be
 * scrolled to. Stored messages carry their actions (edit, regenerate, versions, fork).
 */
export function renderTurn(doc: Document, turn: ViewTurn, markdown: MarkdownRenderer, options: TurnOptions = { regenerate: false }): HTMLElement {
  const container = element(doc, 'div', 'turn');
  container.dataset.turnId = String(turn.id);
  let reply: ViewEntry[] = [];
  const flush = (): void => {
    if (reply.length > 0) container.append(withActions(renderAssistant(doc, reply, markdown), answerActions(doc, options.regenerate)));
    reply = [];
  };
  for (const entry of turn.entries) {
    if (entry.kind === 'summary') {
      // A compaction is no question and no answer: a card of its own, with nothing to retry or edit.
      flush();
      container.classList.add('summary-turn');
      container.append(renderSummary(doc, entry, markdown));
    } else if (entry.kind === 'user') {
      flush();
      const article = withActions(renderUser(doc, entry.text, entry.rowId, entry.attachments), userActions(doc, options.editing !== undefined));
      if (options.editing !== undefined) {
        article.classList.add('editing');
        article.querySelector('.message-body')?.replaceWith(editBox(doc, options.editing));
      }
      container.append(article);
    } else {
      reply.push(entry);
    }
  }
  flush();
  const answer = Array.from(container.querySelectorAll<HTMLElement>('article.message.assistant')).at(-1);
  if (answer && turn.answer) decorateAnswer(doc, answer, turn.answer);
  if (turn.versions) {
    // A version is the question, its answer and what followed: the switcher sits with the answer
    // ("2 / 2" on a regenerated answer), or with the question while it has none yet.
    const author = Array.from(container.querySelectorAll('article.message .message-author')).at(-1);
    author?.insertBefore(versionSwitcher(doc, turn.versions), author.querySelector('.message-actions'));
  }
  return container;
}

type SentAttachment = NonNullable<Extract<ViewEntry, { kind: 'user' }>['attachments']>[number];

/** The user's words, always as plain text, then a compact chip per attachment that opens to its content. */
export function renderUser(doc: Document, text: string, rowId?: number, attachments: SentAttachment[] = []): HTMLElement {
  const names = attachments.map((attachment) => attachment.name).join(', ');
  const article = messageArticle(doc, 'user', 'account', 'You', `You said: ${truncate(text, labelLength)}${names ? ` (attached ${names})` : ''}`);
  setRowId(article, rowId);
  article.append(element(doc, 'div', 'message-body user-text', text));
  if (attachments.length > 0) {
    const list = element(doc, 'div', 'sent-attachments');
    for (const attachment of attachments) {
      const chip = collapsed(doc, 'sent-attachment', attachment.name.startsWith('Problems: ') ? 'warning' : 'file', [element(doc, 'span', 'chip-name', attachment.name)], [element(doc, 'pre', 'tool-data', attachment.content)]);
      chip.title = attachment.detail;
      list.append(chip);
    }
    article.append(list);
  }
  return article;
}

/** "Summary of 12 earlier turns": what Compact Thread sends in place of the turns before it. */
function renderSummary(doc: Document, entry: Extract<ViewEntry, { kind: 'summary' }>, markdown: MarkdownRenderer): HTMLElement {
  const title = `Summary of ${entry.turns === 1 ? '1 earlier turn' : `${entry.turns} earlier turns`}`;
  const body = element(doc, 'div', 'message-body');
  body.append(renderAnswer(doc, entry.text, markdown, false));
  const article = messageArticle(doc, 'summary', 'fold', title, `${title}: ${truncate(spokenText(body), labelLength)}`);
  setRowId(article, entry.rowId);
  const kept = entry.kept === 0 ? '' : entry.kept === 1 ? '; the newest turn before it is still sent as it is' : `; the ${entry.kept} newest turns before it are still sent as they are`;
  article.append(element(doc, 'p', 'summary-note', `Sent in place of the turns it covers (folded above)${kept}.`), body);
  return article;
}

function renderAssistant(doc: Document, entries: ViewEntry[], markdown: MarkdownRenderer): HTMLElement {
  const body = element(doc, 'div', 'message-body');
  for (const entry of entries) {
    const node = renderEntry(doc, entry, markdown);
    setRowId(node, entry.rowId);
    if (entry.kind === 'tool' && entry.outputRowId !== undefined) node.dataset.outputRowId = String(entry.outputRowId);
    body.append(node);
  }
  const article = messageArticle(doc, 'assistant', 'sparkle', 'Assistant', `Assistant: ${assistantSummary(body, entries)}`);
  setRowId(article, entries.find((entry) => entry.rowId !== undefined)?.rowId);
  article.append(body);
  return article;
}

/** Puts a message's action bar at the end of its author line. */
function withActions(article: HTMLElement, actions: HTMLElement): HTMLElement {
  article.querySelector('.message-author')?.append(actions);
  return article;
}

function setRowId(node: HTMLElement, rowId: number | undefined): void {
  if (rowId !== undefined) node.dataset.rowId = String(rowId);
}

/** What a screen reader hears for an assistant article: its answer as plain text, else what it did. */
function assistantSummary(body: HTMLElement, entries: ViewEntry[]): string {
  const text = Array.from(body.querySelectorAll('.markdown-body'), (answer) => spokenText(answer)).join(' ');
  if (text.trim()) return truncate(text, labelLength);
  const tools = entries.flatMap((entry) => (entry.kind === 'tool' ? [entry.name] : []));
  return tools.length > 0 ? `called ${tools.join(', ')}` : 'no answer text';
}

function renderEntry(doc: Document, entry: ViewEntry, markdown: MarkdownRenderer): HTMLElement {
  switch (entry.kind) {
    case 'assistant':
      return renderAnswer(doc, entry.text, markdown, entry.partial === true);
    case 'tool':
      return renderTool(doc, entry);
    case 'reasoning':
      return collapsed(doc, 'reasoning', 'lightbulb', [doc.createTextNode('Reasoning')], [element(doc, 'div', 'plain-text', entry.text)]);
    case 'note': {
      const note = element(doc, 'p', 'note');
      note.append(codicon(doc, 'info'), element(doc, 'span', undefined, entry.text));
      return note;
    }
    case 'user':
    case 'summary':
      return element(doc, 'div', 'plain-text', entry.text);
  }
}

/** Sanitized Markdown; a stopped answer says so. */
export function renderAnswer(doc: Document, text: string, markdown: MarkdownRenderer, partial: boolean): HTMLElement {
  const answer = element(doc, 'div', 'markdown-body');
  markdown.renderInto(answer, text);
  if (partial) answer.append(element(doc, 'p', 'partial-tag', 'Stopped before the answer was complete.'));
  return answer;
}

function renderTool(doc: Document, entry: Extract<ViewEntry, { kind: 'tool' }>): HTMLElement {
  const title = [doc.createTextNode('Called '), element(doc, 'code', 'tool-name', entry.name)];
  const details = [element(doc, 'div', 'detail-label', 'Arguments'), element(doc, 'pre', 'tool-data', entry.args || '(none)')];
  if (entry.output === undefined) {
    details.push(element(doc, 'div', 'detail-label', 'No output yet'));
  } else {
    details.push(element(doc, 'div', 'detail-label', 'Output'), element(doc, 'pre', 'tool-data', entry.output));
  }
  return collapsed(doc, 'tool-call', 'tools', title, details);
}

/** A compact row that opens to show details; closed by default so long data never floods the log. */
function collapsed(doc: Document, className: string, icon: string, title: Node[], content: HTMLElement[]): HTMLElement {
  const details = element(doc, 'details', className);
  const summary = element(doc, 'summary');
  summary.append(codicon(doc, icon), ...title);
  const body = element(doc, 'div', 'details-body');
  body.append(...content);
  details.append(summary, body);
  return details;
}

/** An article with a visible author line; `label` is what screen readers announce for it. */
export function messageArticle(doc: Document, role: 'user' | 'assistant' | 'summary', icon: string, author: string, label: string): HTMLElement {
  const article = element(doc, 'article', `message ${role}`);
  article.setAttribute('aria-label', label);
  const heading = element(doc, 'div', 'message-author');
  heading.append(codicon(doc, icon), element(doc, 'span', undefined, author));
  article.append(heading);
  return article;
}
