import type { AnswerView } from '../shared/protocol.ts';
import { codicon, element } from './dom.ts';
import { hoverCard } from './hoverCard.ts';
import { answerLines, answerSummary } from './usageText.ts';

/**
 * Who answered and what it cost, on an answer's author line: "Assistant @billing ⓘ". The label
 * names the agent (absent for the default one); the info button shows the tokens and the model in
 * a small card on hover or focus. Both stay quiet: the label is a small badge, the icon is dim
 * until pointed at.
 */
export function decorateAnswer(doc: Document, article: HTMLElement, answer: AnswerView): void {
  const author = article.querySelector('.message-author');
  const name = author?.querySelector(':scope > span:not(.codicon)');
  if (!author || !name) return;
  const line = element(doc, 'span', 'author-line');
  name.replaceWith(line);
  line.append(name);
  if (answer.agent) {
    const label = element(doc, 'span', 'agent-label', `@${answer.agent}`);
    label.title = `Answered by the agent ${answer.agent}`;
    line.append(label);
    const spoken = article.getAttribute('aria-label') ?? '';
    article.setAttribute('aria-label', spoken.replace(/^Assistant/, `Assistant @${answer.agent}`));
  }
  const summary = answerSummary(answer);
  if (summary === undefined) return;
  const button = element(doc, 'button', 'icon-button usage-info');
  button.type = 'button';
  button.setAttribute('aria-label', 'Tokens and model of this answer');
  button.append(codicon(doc, 'info'));
  const card = hoverCard(doc, button, 'usage-card', answerLines(answer));
  // A click (or Enter) keeps the card open, for pointers without hover.
  button.addEventListener('click', () => card.element.classList.toggle('pinned'));
  button.addEventListener('blur', () => card.element.classList.remove('pinned'));
  line.append(card.element);
}
