import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { codeOfButton, createMarkdownRenderer } from '../../src/webview/markdown.ts';

function render(markdown: string): HTMLElement {
  const { window } = new JSDOM('<!doctype html><body></body>');
  const target = window.document.createElement('div');
  window.document.body.append(target);
  createMarkdownRenderer(window as unknown as Window).renderInto(target, markdown);
  return target;
}

describe('webview markdown: model output cannot run script or load content', () => {
  test('a script tag shows as text and never becomes an element', () => {
    const out = render('Hi <script>alert(1)</script> there');
    assert.equal(out.querySelector('script'), null);
    assert.match(out.textContent ?? '', /<script>alert\(1\)<\/script>/);
  });

  test('raw img with onerror never becomes an element or attribute', () => {
    const out = render('<img src=http://evil.example/x.png onerror=alert(1)>\n\ntext');
    assert.equal(out.querySelector('img'), null);
    assert.equal(out.querySelector('[onerror]'), null);
    assert.equal(out.querySelector('[src]'), null);
  });

  test('a markdown image is shown as its alt text, not loaded', () => {
    const out = render('Look: ![a diagram](http://evil.example/track.png)');
    assert.equal(out.querySelector('img'), null);
    assert.equal(out.querySelector('[src]'), null);
    assert.match(out.textContent ?? '', /a diagram/);
    assert.doesNotMatch(out.innerHTML, /evil\.example/);
  });

  test('javascript: and data: links keep their text but lose the link', () => {
    const out = render('[click me](javascript:alert(1)) and [data](data:text/html;base64,PHNjcmlwdD4=)');
    assert.match(out.textContent ?? '', /click me/);
    assert.equal(out.querySelector('a[href]'), null);
  });

  test('http links and bare URLs are shown as links with their address as tooltip', () => {
    const out = render('See [docs](https://example.com/a) or https://example.org/b');
    const links = Array.from(out.querySelectorAll('a')).map((a) => a.getAttribute('href'));
    assert.deepEqual(links, ['https://example.com/a', 'https://example.org/b']);
    assert.equal(out.querySelector('a')?.getAttribute('title'), 'https://example.com/a');
  });
});

describe('webview markdown: code blocks', () => {
  const source = '```ts\nconst answer: number = 42;\n```\n\n```\nplain <b>text</b>\n```';

  test('every code block gets Copy and Insert at Cursor buttons with accessible names', () => {
    const out = render(source);
    const blocks = out.querySelectorAll('.code-block');
    assert.equal(blocks.length, 2);
    for (const block of Array.from(blocks)) {
      const labels = Array.from(block.querySelectorAll('button')).map((b) => b.getAttribute('aria-label'));
      assert.deepEqual(labels, ['Copy code', 'Insert code at cursor']);
    }
  });

  test('a block with a known language is highlighted; the code text is unchanged', () => {
    const out = render(source);
    assert.ok(out.querySelector('.code-block .hljs-keyword'), 'keyword span');
    assert.equal(out.querySelector('.code-language')?.textContent, 'ts');
    const [copy] = Array.from(out.querySelectorAll('button'));
    assert.ok(copy);
    assert.equal(codeOfButton(copy), 'const answer: number = 42;');
  });

  test('HTML inside a code block stays text', () => {
    const out = render(source);
    const buttons = Array.from(out.querySelectorAll('button'));
    const insert = buttons[3];
    assert.ok(insert);
    assert.equal(codeOfButton(insert), 'plain <b>text</b>');
    assert.equal(out.querySelector('b'), null);
  });
});
