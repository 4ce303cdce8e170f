/** Title of a thread nobody has named yet; the first message replaces it. */
export const DEFAULT_TITLE = 'New thread';

/** Longest title made from a message. */
const TITLE_CHARS = 40;

/** A title from the first user message: its first line, cut at a word near 40 characters. */
export function titleFromMessage(text: string): string {
  const line = text.trim().split('\n')[0]?.replace(/\s+/g, ' ').trim() ?? '';
  if (line === '') return DEFAULT_TITLE;
  if (line.length <= TITLE_CHARS) return line;
  const cut = line.slice(0, TITLE_CHARS);
  const space = cut.lastIndexOf(' ');
  return `${(space > TITLE_CHARS / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
