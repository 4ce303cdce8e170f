import type { ViewEvent, ViewModel } from './state.ts';
import { truncate } from './dom.ts';

/** Longest finished answer read out by the status line; the full text stays in the log. */
const spokenLength = 600;

/**
 * What the polite status line should say after an event, or undefined to leave it alone:
 * once when an answer starts and once when it ends, never per token; a find that matched nothing.
 * (A revealed message is announced by the app, which reads its words from the page.) `toSpoken`
 * turns the answer's Markdown into the words to read.
 */
export function announcement(previous: ViewModel, next: ViewModel, event: ViewEvent, toSpoken: (markdown: string) => string): string | undefined {
  const before = previous.stream;
  const after = next.stream;
  if (after && !after.finished && after.id !== before?.id) return 'Assistant is answering…';
  if (event.type === 'host' && event.message.type === 'chat/done' && before && !before.finished && after?.finished) {
    const text = truncate(toSpoken(after.text), spokenLength) || 'no text';
    return event.message.stopped ? `Stopped. Assistant: ${text}` : `Assistant: ${text}`;
  }
  if (event.type === 'findFailed' && next.find.failed && !previous.find.failed) return 'Could not search this thread.';
  if (event.type === 'findResult' && next.find !== previous.find && next.find.matches.length === 0 && next.find.searched.trim() !== '') return `No results for ${next.find.searched}`;
  return undefined;
}
