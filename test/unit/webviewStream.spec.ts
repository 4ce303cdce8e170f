import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { createMarkdownRenderer } from '../../src/webview/markdown.ts';

/** An answer with every kind of block a model writes: the live render must match a full one at every length. */
const ANSWER = [
  '# Reading files',
  '',
  'Use **fs** — it is built in. A link: https://nodejs.org and `inline code`.',
  'Setext heading',
  '---',
  '',
  '1. First step',
  '2. Second step with *emphasis*',
  '',
  '   continued item paragraph',
  '',
  '- a bullet',
  '- another',
  '',
  '> a quote',
  'lazily continued',
  '',
  '```ts',
  'import { readFile } from "node:fs/promises";',
  '',
  'const text = await readFile("a.txt", "utf8");',
  '```',
  '',
  '| name | size |',
  '|------|------|',
  '| a.ts | 12   |',
  '',
  '    indented code',
  '',
  'Closing words.\r\nWith a CRLF line.',
].join('\n');

function setup() {
  const { window } = new JSDOM('<!doctype html><body></body>');
  const markdown = createMarkdownRenderer(window as unknown as Window);
  const doc = window.document;
  const live = doc.createElement('div');
  const full = doc.createElement('div');
  return { markdown, live, full, stream: markdown.live(live) };
}

describe('webview: streaming Markdown renders only the last block', () => {
  test('after every delta the live render shows exactly what a full render of the same text shows', () => {
    const { markdown, live, full, stream } = setup();
    // Deltas of 1 to 7 characters, so block boundaries fall everywhere.
    for (let end = 0, step = 1; end < ANSWER.length; step = (step % 7) + 1) {
      end = Math.min(ANSWER.length, end + step);
      const text = ANSWER.slice(0, end);
      stream.update(text);
      markdown.renderInto(full, text);
      assert.equal(live.innerHTML, full.innerHTML, `after ${end} characters: ${JSON.stringify(text.slice(-30))}`);
    }
  });

  test('blocks before the last are not rendered again: their nodes stay the same objects while the answer grows', () => {
    const { live, stream } = setup();
    stream.update('First paragraph.\n\nSecond');
    const first = live.firstElementChild;
    assert.equal(first?.textContent, 'First paragraph.');
    stream.update('First paragraph.\n\nSecond paragraph grows');
    stream.update('First paragraph.\n\nSecond paragraph grows\n\n```js\nlet x');
    assert.equal(live.firstElementChild, first, 'the same node: never re-rendered');
    assert.equal(live.querySelectorAll('.code-block').length, 1, 'the code block is decorated while it streams');
  });

  test('finish renders the whole text once; another text starts over', () => {
    const { markdown, live, full, stream } = setup();
    stream.update('[ref] text\n\nmore');
    stream.finish('[ref] text\n\nmore\n\n[ref]: https://example.com');
    markdown.renderInto(full, '[ref] text\n\nmore\n\n[ref]: https://example.com');
    assert.equal(live.innerHTML, full.innerHTML, 'a reference defined at the end links in the final render');
    stream.update('Something else');
    assert.equal(live.textContent?.trim(), 'Something else');
  });
});
