import type { ViewEvent, ViewModel } from './state.ts';
import { truncate } from './dom.ts';

/** Longest finished answer read out by the status line; the full text stays in the log. */
const spokenLength = 600;

/**
 * What the polite status line should say after an event, or undefined to leave it alone:
 * once when an answer starts and once when it ends, never per token. `toSpoken` turns the
 * answer's Markdown into the words to read.
 */
export function announcement(previous: ViewModel, next: ViewModel, event: ViewEvent, toSpoken: (markdown: string) => string): string | undefined {
  const before = previous.stream;
  const after = next.stream;
  if (after && !after.finished && after.id !== before?.id) return 'Assistant is answering…';
  if (event.type === 'host' && event.message.type === 'chat/done' && before && !before.finished && after?.finished) {
    const text = truncate(toSpoken(after.text), spokenLength) || 'no text';
    return event.message.stopped ? `Stopped. Assistant: ${text}` : `Assistant: ${text}`;
  }
  return undefined;
}
