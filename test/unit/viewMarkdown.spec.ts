import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import MarkdownIt from 'markdown-it';
import { turnsToMarkdown } from '../../src/core/view/markdown.ts';
import type { ViewTurn } from '../../src/shared/protocol.ts';

/** GitHub renders Markdown with HTML blocks such as <details> allowed: markdown-it with html on is close. */
const markdown = new MarkdownIt({ html: true });
const tokensOf = (text: string) => markdown.parse(text, {});

const answerWithCode = 'Use a guard:\n\n```ts\nif (!x) return;\n```\n\nThen call it.';
const turns: ViewTurn[] = [
  {
    id: 1,
    entries: [
      { kind: 'user', text: 'Why does *build* fail on `main`?\nIt worked yesterday.' },
      { kind: 'tool', name: 'read_file', args: '{\n  "path": "src/a.ts"\n}', output: 'has ``` fence' },
      { kind: 'reasoning', text: 'Check the guard.' },
      { kind: 'assistant', text: answerWithCode },
    ],
  },
  {
    id: 9,
    entries: [
      { kind: 'user', text: 'And the test?' },
      { kind: 'tool', name: 'run_tests', args: '', output: undefined },
      { kind: 'note', text: 'Web search call' },
      { kind: 'assistant', text: 'Partial:\n\n```py\nprint(1)', partial: true },
    ],
  },
  { id: 20, entries: [{ kind: 'user', text: 'Last one' }, { kind: 'assistant', text: 'Done.' }] },
];

describe('turnsToMarkdown', () => {
  const text = turnsToMarkdown('Trip <planning>', turns, { pinned: true });
  const tokens = tokensOf(text);

  test('a title, a pin line, and one numbered heading per turn named after its question', () => {
    const headings = tokens.flatMap((token, i) => (token.type === 'heading_open' ? [`${token.tag} ${tokens[i + 1]!.content}`] : []));
    assert.deepEqual(headings, ['h1 Trip \\<planning\\>', 'h2 1. Why does \\*build\\* fail on \\`main\\`?', 'h2 2. And the test?', 'h2 3. Last one']);
    // Rendered, the escapes show the question as typed, not as markup.
    assert.match(markdown.render(text), /<h2>1\. Why does \*build\* fail on `main`\?<\/h2>/);
    assert.match(text, /^# Trip \\<planning\\>\n\n\*Pinned thread\*\n\n## 1\./);
  });

  test('questions and answers keep their Markdown: the code fence comes through as the same code block', () => {
    const fences = tokens.filter((token) => token.type === 'fence').map((token) => [token.info, token.content]);
    assert.deepEqual(fences[0], ['json', '{\n  "path": "src/a.ts"\n}\n']);
    assert.deepEqual(fences[1], ['', 'has ``` fence\n']);
    assert.ok(fences.some(([info, content]) => info === 'ts' && content === 'if (!x) return;\n'), 'the answer\'s ts block is intact');
    assert.match(text, /\*\*You\*\*\n\nWhy does \*build\* fail on `main`\?\nIt worked yesterday\./);
    assert.ok(text.includes(`**Assistant**\n\n${answerWithCode}`));
  });

  test('tool calls and reasoning are folded in <details> with a summary naming them', () => {
    assert.ok(text.includes('<details>\n<summary>Tool <code>read_file</code></summary>\n\nArguments:\n\n```json\n{\n  "path": "src/a.ts"\n}\n```\n\nOutput:\n\n````\nhas ``` fence\n````\n\n</details>'));
    assert.ok(text.includes('<details>\n<summary>Tool <code>run_tests</code></summary>\n\nNo output was recorded.\n\n</details>'));
    assert.ok(text.includes('<details>\n<summary>Reasoning</summary>\n\nCheck the guard.\n\n</details>'));
    const html = markdown.render(text);
    assert.equal(html.match(/<details>/g)?.length, 3);
    assert.equal(html.match(/<\/details>/g)?.length, 3);
  });

  test('an answer stopped inside a code block is closed, so the next turn is still a turn', () => {
    assert.match(text, /\*\*Assistant\*\* \*\(stopped\)\*\n\nPartial:\n\n```py\nprint\(1\)\n```\n\n## 3\. Last one/);
    assert.ok(tokens.some((token) => token.type === 'fence' && token.info === 'py' && token.content === 'print(1)\n'));
  });

  test('notes are italic lines; a turn before any question gets its own heading; an empty question is named', () => {
    assert.match(text, /\n\*Web search call\*\n/);
    const other = turnsToMarkdown('', [
      { id: 0, entries: [{ kind: 'note', text: 'system message: be brief' }] },
      { id: 1, entries: [{ kind: 'user', text: '   ' }] },
    ]);
    assert.equal(other, '# Untitled thread\n\n## Before the first question\n\n*system message: be brief*\n\n## 1. (no text)\n\n**You**\n\n   \n');
  });

  test('a long first line is shortened in the heading and kept whole below it', () => {
    const long = 'word '.repeat(40).trim();
    const out = turnsToMarkdown('T', [{ id: 1, entries: [{ kind: 'user', text: long }] }]);
    const heading = /^## 1\. (.*)$/m.exec(out)![1]!;
    assert.equal(heading.length, 80);
    assert.ok(heading.endsWith('…'));
    assert.ok(out.includes(`**You**\n\n${long}`));
  });
});
