import type { AnswerView, ContextView, Snapshot, UsageView } from '../shared/protocol.ts';

/**
 * The words of the usage hover and the context meter, apart from the DOM so they are tested as
 * text. Figures are written in English with thousands separators ("1,234"), as the rest of the UI.
 */

/** "1,234": a token count in full. */
export function tokens(count: number): string {
  return count.toLocaleString('en-US');
}

/** "950", "12.3k", "128k", "1.2M": a token count as short as the footer needs it. */
export function shortTokens(count: number): string {
  if (count < 1000) return String(count);
  const [value, unit] = count < 1_000_000 ? [count / 1000, 'k'] : [count / 1_000_000, 'M'];
  // One decimal below 100 (12.3k), none above (128k); a trailing ".0" says nothing.
  const text = value < 100 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value).toString();
  return `${text}${unit}`;
}

/** "Input 1,234 tokens (of which cached 1,000)". */
function inputText(usage: UsageView, capital: boolean): string {
  const cached = usage.cached > 0 ? ` (of which cached ${tokens(usage.cached)})` : '';
  return `${capital ? 'Input' : 'input'} ${tokens(usage.input)} tokens${cached}`;
}

/** The lines of an answer's usage hover (the agent is on its label); empty when nothing is known. */
export function answerLines(answer: AnswerView | undefined): string[] {
  if (!answer) return [];
  const lines: string[] = [];
  if (answer.usage) lines.push(inputText(answer.usage, true), `Output ${tokens(answer.usage.output)} tokens`);
  if (answer.model) lines.push(`Model ${answer.model}`);
  if (answer.usage?.estimated) lines.push('Estimated: the model source did not report all of these figures.');
  return lines;
}

/** The usage on one line, for the info button's accessible name: "Input … · Output … · model (estimated)". */
export function answerSummary(answer: AnswerView): string | undefined {
  const parts: string[] = [];
  if (answer.usage) parts.push(inputText(answer.usage, true), `Output ${tokens(answer.usage.output)} tokens`);
  if (answer.model) parts.push(answer.model);
  if (parts.length === 0) return undefined;
  return `${parts.join(' · ')}${answer.usage?.estimated ? ' (estimated)' : ''}`;
}

/** "12.3k / 128k tokens": the meter's visible text. */
export function meterText(context: ContextView): string {
  return `${shortTokens(context.used)} / ${shortTokens(context.window)} tokens`;
}

const windowSources: Record<ContextView['windowFrom'], string> = {
  model: 'as the model reports it',
  setting: 'from the setting sessionChat.contextWindow',
  assumed: 'assumed, as the model does not say (set sessionChat.contextWindow to change it)',
};

/** Share of the window the next request takes, in whole percent (over 100 when it does not fit). */
export function meterPercent(context: ContextView): number {
  return Math.round((context.used / context.window) * 100);
}

/** The lines of the meter's hover: what is sent, the window and where it comes from, trimming, the thread's usage. */
export function meterLines(context: ContextView, usage: Snapshot['usage']): string[] {
  const lines = [
    `The next request sends about ${tokens(context.used)} tokens (${meterPercent(context)} % of the window): the system prompt, the history sent and waiting attachments.`,
    `Context window: ${tokens(context.window)} tokens, ${windowSources[context.windowFrom]}.`,
  ];
  if (context.trimmedTurns > 0) {
    const turns = context.trimmedTurns === 1 ? '1 older turn is' : `${tokens(context.trimmedTurns)} older turns are`;
    lines.push(`${turns} not sent (trimmed to fit). They stay in the thread.`);
  }
  if (usage) lines.push(threadUsageText(usage));
  return lines;
}

/** "This thread so far: input …, output …, 4 answers". */
export function threadUsageText(usage: NonNullable<Snapshot['usage']>): string {
  const answers = usage.answers === 1 ? '1 answer' : `${tokens(usage.answers)} answers`;
  return `This thread so far: ${inputText(usage, false)}, output ${tokens(usage.output)} tokens, ${answers}${usage.estimated ? ' (partly estimated)' : ''}.`;
}

/** What the meter's warning line says at each level; nothing while the thread fits easily. */
export function meterWarning(context: ContextView): string | undefined {
  if (context.level === 'near') return "The thread is near the model's context window: older turns will be left out. Compact Thread summarises them.";
  if (context.level === 'over') return "The newest turn alone does not fit in the model's context window. Start a New Thread, or select a model with a larger window.";
  return undefined;
}
