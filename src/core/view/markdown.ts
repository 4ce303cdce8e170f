import type { ViewEntry, ViewTurn } from '../../shared/protocol.ts';

/** What the export says about the thread besides its turns. */
export interface ExportOptions {
  /** The thread is pinned: a line under the title says so, so the pin survives an export. */
  pinned?: boolean;
}

/**
 * A thread as a Markdown document that reads well on GitHub: the title, then a numbered heading
 * per turn named after its question (`## 2. How do I …`), the question and answer under bold
 * labels, their Markdown (code fences included) as it was, and each tool call folded in a
 * `<details>` block with its arguments and output. The headings give GitHub's outline one line
 * per turn; labels instead of sub-headings keep that outline short.
 */
export function turnsToMarkdown(title: string, turns: readonly ViewTurn[], options: ExportOptions = {}): string {
  const parts = [`# ${inline(title) || 'Untitled thread'}`];
  if (options.pinned) parts.push('*Pinned thread*');
  let number = 0;
  for (const turn of turns) {
    const question = turn.entries.find((entry) => entry.kind === 'user');
    parts.push(question ? `## ${++number}. ${headingText(question.text)}` : '## Before the first question');
    for (const entry of turn.entries) parts.push(entryMarkdown(entry));
  }
  return `${parts.join('\n\n')}\n`;
}

function entryMarkdown(entry: ViewEntry): string {
  switch (entry.kind) {
    case 'user':
      return `**You**\n\n${closeFences(entry.text)}`;
    case 'assistant':
      return `**Assistant**${entry.partial ? ' *(stopped)*' : ''}\n\n${closeFences(entry.text)}`;
    case 'tool': {
      const args = entry.args === '' ? '' : `Arguments:\n\n${fence(entry.args, isJson(entry.args) ? 'json' : '')}\n\n`;
      const output = entry.output === undefined ? 'No output was recorded.' : `Output:\n\n${fence(entry.output, '')}`;
      return folded(`Tool <code>${escapeHtml(entry.name)}</code>`, `${args}${output}`);
    }
    case 'reasoning':
      return folded('Reasoning', closeFences(entry.text));
    case 'summary':
      return folded(`Summary of ${entry.turns} earlier turn${entry.turns === 1 ? '' : 's'} (Compact Thread)`, closeFences(entry.text));
    case 'note':
      return `*${inline(entry.text)}*`;
  }
}

/** A `<details>` block; the blank lines around the body let GitHub render the Markdown inside. */
function folded(summary: string, body: string): string {
  return `<details>\n<summary>${summary}</summary>\n\n${body}\n\n</details>`;
}

/** The question's first line for a heading, shortened, with nothing that Markdown would act on. */
function headingText(text: string): string {
  const line = text.trim().split('\n', 1)[0]!.replace(/\s+/g, ' ').trim();
  if (line === '') return '(no text)';
  const short = line.length > 80 ? `${line.slice(0, 79)}…` : line;
  return inline(short);
}

/** Text for one line of Markdown: characters that would start markup or HTML are escaped. */
function inline(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|~]/g, (char) => `\\${char}`).replace(/\s+/g, ' ').trim();
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char]!);
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A code fence longer than any backtick run inside the text, so the text cannot close it. */
function fence(text: string, info: string): string {
  let longest = 2;
  for (const match of text.matchAll(/`+/g)) longest = Math.max(longest, match[0].length);
  const ticks = '`'.repeat(longest + 1);
  return `${ticks}${info}\n${text}\n${ticks}`;
}

/**
 * Message Markdown as it was, plus a closing fence when it ends inside a code block (an answer
 * stopped mid-code): otherwise that block would swallow every turn after it.
 */
function closeFences(text: string): string {
  let open: { char: string; length: number } | undefined;
  for (const line of text.split('\n')) {
    const match = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (!match) continue;
    const marker = match[1]!;
    if (!open) {
      // A backtick fence's info string may not contain backticks (CommonMark); then it is no fence.
      if (marker[0] === '`' && match[2]!.includes('`')) continue;
      open = { char: marker[0]!, length: marker.length };
    } else if (marker[0] === open.char && marker.length >= open.length && match[2]!.trim() === '') {
      open = undefined;
    }
  }
  return open ? `${text}\n${open.char.repeat(open.length)}` : text;
}
