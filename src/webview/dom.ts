/** Small DOM helpers shared by the render files; they take the document so tests can pass jsdom's. */

export function element<K extends keyof HTMLElementTagNameMap>(doc: Document, tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = doc.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function codicon(doc: Document, name: string): HTMLSpanElement {
  const icon = element(doc, 'span', `codicon codicon-${name}`);
  icon.setAttribute('aria-hidden', 'true');
  return icon;
}

/** An icon-only button: the label is its accessible name and its tooltip. */
export function iconButton(doc: Document, icon: string, label: string, onClick: () => void): HTMLButtonElement {
  const button = element(doc, 'button', 'icon-button');
  button.type = 'button';
  button.setAttribute('aria-label', label);
  button.title = label;
  button.append(codicon(doc, icon));
  button.addEventListener('click', onClick);
  return button;
}

/** A button with an icon and visible text. */
export function textButton(doc: Document, icon: string, text: string, onClick: () => void, className = 'text-button'): HTMLButtonElement {
  const button = element(doc, 'button', className);
  button.type = 'button';
  button.append(codicon(doc, icon), element(doc, 'span', undefined, text));
  button.addEventListener('click', onClick);
  return button;
}

/** Shortens text for aria-labels and announcements, on one line. */
export function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1).trimEnd()}…`;
}

/** The text a screen reader should hear for rendered Markdown: no Markdown syntax, no button captions. */
export function spokenText(root: Element): string {
  // 4 is NodeFilter.SHOW_TEXT; the global NodeFilter is not there when tests pass a jsdom document.
  const walker = root.ownerDocument.createTreeWalker(root, 4);
  const parts: string[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement?.closest('.code-toolbar, .partial-tag')) parts.push(node.textContent ?? '');
  }
  return parts.join('');
}
