import MarkdownIt from 'markdown-it';
import type { MarkdownIt as MarkdownParser } from 'markdown-it';
import createDOMPurify from 'dompurify';
import { highlightCode } from './highlight.ts';

/** Renders model output: Markdown in, sanitized DOM out, never running script or loading remote content. */
export interface MarkdownRenderer {
  /** Replaces the children of `target` with the rendered `markdown`, code blocks with their buttons. */
  renderInto(target: HTMLElement, markdown: string): void;
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
  return {
    renderInto(target, markdown) {
      const fragment = purify.sanitize(parser.render(markdown), config);
      target.replaceChildren(fragment);
      decorateCodeBlocks(target);
    },
  };
}

/** Wraps every `<pre><code>` with a toolbar: language, Copy and Insert at Cursor. */
function decorateCodeBlocks(root: HTMLElement): void {
  const doc = root.ownerDocument;
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
