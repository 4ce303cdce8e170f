import type { ViewEntry, ViewTurn } from '../../shared/protocol.ts';

/** What the export says about the thread besides its turns. */
export interface ExportOptions {
  /** The thread is pinned: a line under the title says so, so the pin survives an export. */
  pinned?: boolean;
}

/** A thread as a Markdown document: a heading, then each turn's question, answer and tool calls. */
export function turnsToMarkdown(title: string, turns: readonly ViewTurn[], options: ExportOptions = {}): string {
  const parts = [`# ${title}`];
  if (options.pinned) parts.push('*Pinned thread*');
  for (const turn of turns) {
    for (const entry of turn.entries) parts.push(entryMarkdown(entry));
  }
  return `${parts.join('\n\n')}\n`;
}

function entryMarkdown(entry: ViewEntry): string {
  switch (entry.kind) {
    case 'user':
      return `## You\n\n${entry.text}`;
    case 'assistant':
      return `## Assistant${entry.partial ? ' (stopped)' : ''}\n\n${entry.text}`;
    case 'tool': {
      const output = entry.output === undefined ? '' : `\n\nOutput:\n\n${fence(entry.output)}`;
      return `**Tool \`${entry.name}\`**\n\n${fence(entry.args)}${output}`;
    }
    case 'reasoning':
      return `> *Reasoning:* ${entry.text.replace(/\n/g, '\n> ')}`;
    case 'note':
      return `*${entry.text}*`;
  }
}

/** A code fence longer than any backtick run inside the text, so the text cannot close it. */
function fence(text: string): string {
  let longest = 2;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}\n${text}\n${ticks}`;
}
