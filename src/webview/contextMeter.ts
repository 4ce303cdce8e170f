import type { PanelCommand, Snapshot } from '../shared/protocol.ts';
import { codicon, element, textButton } from './dom.ts';
import { hoverCard } from './hoverCard.ts';
import { meterLines, meterPercent, meterText, meterWarning, shortTokens } from './usageText.ts';

/**
 * The context meter: in the footer, a small bar and "12.3k / 128k tokens" for what the next request
 * sends against the model's window, with a card on hover or focus that says where the figures come
 * from; above the message box, a warning line once the thread nears the window (with Compact
 * Thread) or does not fit at all (with New Thread and Select Model). Both come from the snapshot.
 */
export interface ContextMeter {
  /** The bar and its text, for the footer. */
  readonly meter: HTMLElement;
  /** The warning line, for above the message box. */
  readonly warning: HTMLElement;
  update(snapshot: Snapshot | undefined): void;
}

export function createContextMeter(doc: Document, run: (command: PanelCommand) => void): ContextMeter {
  const gauge = element(doc, 'span', 'context-meter');
  gauge.setAttribute('role', 'meter');
  gauge.setAttribute('aria-label', 'Context window used by the next request');
  gauge.setAttribute('aria-valuemin', '0');
  gauge.tabIndex = 0;
  const bar = element(doc, 'span', 'meter-bar');
  const fill = element(doc, 'span', 'meter-fill');
  bar.append(fill);
  const text = element(doc, 'span', 'meter-text');
  // The meter's value text says the same, so the visible copy is not read twice.
  text.setAttribute('aria-hidden', 'true');
  // Near or over the window an icon says so too, not the colour alone (and the text keeps its contrast).
  let icon = codicon(doc, 'warning');
  gauge.append(icon, bar, text);
  const card = hoverCard(doc, gauge, 'meter-card');
  card.element.hidden = true;

  const warning = element(doc, 'div', 'context-warning');
  warning.setAttribute('role', 'status');
  warning.hidden = true;
  let shownWarning: string | undefined;

  const renderWarning = (snapshot: Snapshot | undefined): void => {
    const context = snapshot?.context;
    const words = context ? meterWarning(context) : undefined;
    const key = words && `${context?.level}\u0000${words}`;
    if (key === shownWarning) return;
    shownWarning = key;
    warning.hidden = words === undefined;
    warning.className = `context-warning level-${context?.level ?? 'ok'}`;
    if (!words || !context) return void warning.replaceChildren();
    const message = element(doc, 'p', 'context-warning-text');
    message.append(codicon(doc, context.level === 'over' ? 'error' : 'warning'), element(doc, 'span', undefined, words));
    const actions = element(doc, 'div', 'context-warning-actions');
    if (context.level === 'near') actions.append(textButton(doc, 'fold', 'Compact Thread', () => run('compactThread'), 'text-button primary'));
    else actions.append(textButton(doc, 'add', 'New Thread', () => run('newThread'), 'text-button primary'), textButton(doc, 'sparkle', 'Select Model', () => run('selectModel')));
    warning.replaceChildren(message, actions);
  };

  return {
    meter: card.element,
    warning,
    update(snapshot) {
      renderWarning(snapshot);
      const context = snapshot?.context;
      card.element.hidden = !context;
      if (!context) return;
      const percent = meterPercent(context);
      gauge.className = `context-meter level-${context.level}`;
      const shape = codicon(doc, context.level === 'over' ? 'error' : 'warning');
      shape.classList.add('meter-icon');
      shape.hidden = context.level === 'ok';
      icon.replaceWith(shape);
      icon = shape;
      fill.style.width = `${Math.min(100, Math.max(context.used > 0 ? 2 : 0, percent))}%`;
      text.textContent = meterText(context);
      // A meter's value stays within its range; the text says when the request is larger than the window.
      gauge.setAttribute('aria-valuemax', String(context.window));
      gauge.setAttribute('aria-valuenow', String(Math.min(context.used, context.window)));
      const state = context.level === 'over' ? ', does not fit' : context.level === 'near' ? ', near the limit' : '';
      gauge.setAttribute('aria-valuetext', `${shortTokens(context.used)} of ${shortTokens(context.window)} tokens (${percent} %)${state}`);
      card.setLines(meterLines(context, snapshot.usage));
    },
  };
}
