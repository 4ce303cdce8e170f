import MarkdownIt from 'markdown-it';
import type { MarkdownIt as MarkdownParser } from 'markdown-it';
import createDOMPurify from 'dompurify';
import { highlightCode } from './highlight.ts';

/** Renders model output: Markdown in, sanitized DOM out, never running script or loading remote content. */
export interface MarkdownRenderer {
  /** Replaces the children of `target` with the rendered `markdown`, code blocks with their buttons. */
  renderInto(target: HTMLElement, markdown: string): void;
  /** A streaming answer rendered into `target`: see {@link LiveMarkdown}. */
  live(target: HTMLElement): LiveMarkdown;
}

/**
 * Markdown that grows while it streams. Only the last top-level block can still change (a
 * paragraph, list or code fence being written); the blocks before it are rendered once, kept, and
 * never parsed again, so each frame costs the size of the last block rather than of the whole answer.
 */
export interface LiveMarkdown {
  /** Shows `markdown`, which usually extends the text of the previous call. */
  update(markdown: string): void;
  /** The answer is complete: one full render of the whole text (links to references, numbering). */
  finish(markdown: string): void;
}

/** Only links a user can follow on purpose; VS Code opens them outside the webview on click. */
const safeLink = /^(?:https?:|mailto:)/i;

function createParser(): MarkdownParser {
  // html: false turns any raw HTML in the model's output into visible text.
  const parser = new MarkdownIt({ html: false, linkify: true, highlight: highlightCode });
  // An image would load a remote URL as soon as it renders: show its alt text instead.
  parser.renderer.rules.image = (tokens, index) => {
    const alt = tokens[index]?.children?.map((child) => child.content).join('') ?? '';
    return alt ? `<span class="md-image-alt">[${parser.utils.escapeHtml(alt)}]</span>` : '';
  };
  return parser;
}

/** `win` is the page's window (a jsdom window in tests): DOMPurify needs one to parse with. */
export function createMarkdownRenderer(win: Window): MarkdownRenderer {
  const parser = createParser();
  const purify = createDOMPurify(win as unknown as Parameters<typeof createDOMPurify>[0]);
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') return;
    const href = node.getAttribute('href') ?? '';
    if (!safeLink.test(href)) {
      node.removeAttribute('href');
      return;
    }
    node.setAttribute('title', href);
    node.setAttribute('rel', 'noopener noreferrer');
  });
  const config = {
    RETURN_DOM_FRAGMENT: true as const,
    FORBID_TAGS: ['img', 'style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'video', 'audio', 'svg', 'math'],
    FORBID_ATTR: ['style', 'src', 'srcset', 'action', 'formaction', 'background', 'poster'],
  };
  const render = (markdown: string): DocumentFragment => {
    // DOMPurify builds the fragment in a document of its own: adopt it before working on it, so
    // queries and new nodes all belong to the page (a stream renders many fragments).
    const fragment = win.document.adoptNode(purify.sanitize(parser.render(markdown), config));
    decorateCodeBlocks(fragment, win.document);
    return fragment;
  };
  return {
    renderInto(target, markdown) {
      target.replaceChildren(render(markdown));
    },
    live: (target) => createLiveMarkdown(target, parser, render),
  };
}

function createLiveMarkdown(target: HTMLElement, parser: MarkdownParser, render: (markdown: string) => DocumentFragment): LiveMarkdown {
  /** The source of the blocks rendered for good, in order; the nodes they made stay in `target`. */
  let frozen = '';
  /** The nodes of the last (still growing) block, replaced on every update. */
  let tail: ChildNode[] = [];
  /** `target` holds what this renderer put there (not a placeholder, not a finished render). */
  let started = false;
  const dropTail = (): void => {
    for (const node of tail) node.remove();
    tail = [];
  };
  return {
    update(markdown) {
      if (!started || !markdown.startsWith(frozen)) {
        // The first update, or not a continuation (a new answer): start over.
        started = true;
        frozen = '';
        tail = [];
        target.replaceChildren();
      }
      let rest = markdown.slice(frozen.length);
      const split = lastBlockOffset(parser, rest);
      if (split > 0) {
        dropTail();
        target.append(render(rest.slice(0, split)));
        frozen += rest.slice(0, split);
        rest = rest.slice(split);
      }
      dropTail();
      const fragment = render(rest);
      tail = Array.from(fragment.childNodes);
      target.append(fragment);
    },
    finish(markdown) {
      started = false;
      frozen = '';
      tail = [];
      target.replaceChildren(render(markdown));
    },
  };
}

/**
 * Where the last top-level block of `markdown` starts (a character offset; 0 when it has one block).
 * Everything before it is finished: text appended later can only change the last block.
 */
function lastBlockOffset(parser: MarkdownParser, markdown: string): number {
  let line = 0;
  for (const token of parser.parse(markdown, {})) {
    if (token.level === 0 && token.nesting !== -1 && token.map) line = token.map[0];
  }
  if (line === 0) return 0;
  // markdown-it counts \r\n, \r and \n each as one line break.
  const breaks = /\r\n?|\n/g;
  for (let seen = 0; breaks.exec(markdown); ) if (++seen === line) return breaks.lastIndex;
  return 0;
}

/** Wraps every `<pre><code>` with a toolbar: language, Copy and Insert at Cursor. */
function decorateCodeBlocks(root: ParentNode, doc: Document): void {
  for (const pre of Array.from(root.querySelectorAll('pre'))) {
    const code = pre.querySelector('code');
    if (!code) continue;
    code.classList.add('hljs');
    const language = /\blanguage-([\w#+-]+)/.exec(code.className)?.[1] ?? '';
    const block = doc.createElement('div');
    block.className = 'code-block';
    const toolbar = doc.createElement('div');
    toolbar.className = 'code-toolbar';
    const label = doc.createElement('span');
    label.className = 'code-language';
    label.textContent = language;
    toolbar.append(label, codeButton(doc, 'copy', 'Copy', 'Copy code'), codeButton(doc, 'insert', 'Insert at Cursor', 'Insert code at cursor'));
    pre.replaceWith(block);
    block.append(toolbar, pre);
  }
}

function codeButton(doc: Document, action: 'copy' | 'insert', text: string, label: string): HTMLButtonElement {
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'code-button';
  button.dataset.codeAction = action;
  button.setAttribute('aria-label', label);
  button.title = label;
  const icon = doc.createElement('span');
  icon.className = `codicon codicon-${action === 'copy' ? 'copy' : 'insert'}`;
  icon.setAttribute('aria-hidden', 'true');
  const caption = doc.createElement('span');
  caption.textContent = text;
  button.append(icon, caption);
  return button;
}

/** The code of the block a Copy/Insert button belongs to, without the fence's final newline. */
export function codeOfButton(button: Element): string {
  const code = button.closest('.code-block')?.querySelector('code')?.textContent ?? '';
  return code.endsWith('\n') ? code.slice(0, -1) : code;
}
