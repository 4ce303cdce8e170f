import type { ApprovalView, PendingAttachment, Snapshot, WebviewMessage } from '../shared/protocol.ts';
import { codicon, element, iconButton, textButton } from './dom.ts';
import type { Requests } from './requests.ts';
import { createCompletionList } from './completionList.ts';

/**
 * What sits above the message box: a tool call waiting for approval (Allow / Deny / Always allow)
 * and the attachments that go with the next message, as chips with a remove button. Both come from
 * the host's snapshot, so a reloaded panel shows them again.
 */
export interface ContextBar {
  readonly element: HTMLElement;
  update(snapshot: Snapshot | undefined): void;
}

export function createContextBar(doc: Document, post: (message: WebviewMessage) => void, focusComposer: () => void): ContextBar {
  const root = element(doc, 'div', 'context-bar');
  const approvalSlot = element(doc, 'div', 'approval-slot');
  const chips = element(doc, 'div', 'attachment-chips');
  chips.setAttribute('role', 'list');
  chips.setAttribute('aria-label', 'Attachments');
  root.append(approvalSlot, chips);
  let shownApproval: string | undefined;
  let shownChips = '';

  const renderApproval = (approval: ApprovalView | undefined): void => {
    const key = approval ? `${approval.callId}` : undefined;
    if (key === shownApproval) return;
    const hadFocus = approvalSlot.contains(doc.activeElement);
    shownApproval = key;
    approvalSlot.replaceChildren();
    if (!approval) {
      if (hadFocus) focusComposer();
      return;
    }
    const card = element(doc, 'section', 'approval-card');
    card.setAttribute('role', 'group');
    card.setAttribute('aria-label', `The model wants to call ${approval.name}`);
    const title = element(doc, 'div', 'approval-title');
    title.append(codicon(doc, 'tools'), element(doc, 'span', undefined, 'The model wants to run'), element(doc, 'code', 'tool-name', approval.name));
    const args = element(doc, 'pre', 'tool-data', approval.args || '(no arguments)');
    const answer = (decision: 'allow' | 'deny' | 'always') => () => post({ type: 'tool/answer', callId: approval.callId, decision });
    const allow = textButton(doc, 'check', 'Allow', answer('allow'), 'text-button primary');
    allow.setAttribute('aria-label', 'Allow tool call');
    allow.title = 'Allow tool call';
    const deny = textButton(doc, 'close', 'Deny', answer('deny'));
    deny.setAttribute('aria-label', 'Deny tool call');
    deny.title = 'Deny tool call';
    const always = textButton(doc, 'shield', `Always allow ${approval.name} in this workspace`, answer('always'), 'text-button link');
    const actions = element(doc, 'div', 'approval-actions');
    actions.append(allow, deny, always);
    card.append(title, args, actions);
    approvalSlot.append(card);
    // The decision is the next thing to do: the keyboard lands on Allow, as a dialog's default button.
    allow.focus();
  };

  const renderChips = (attachments: PendingAttachment[]): void => {
    const key = JSON.stringify(attachments);
    if (key === shownChips) return;
    shownChips = key;
    const hadFocus = chips.contains(doc.activeElement);
    chips.replaceChildren(...attachments.map((attachment) => chip(doc, attachment, () => post({ type: 'attachment/remove', id: attachment.id }))));
    chips.hidden = attachments.length === 0;
    if (hadFocus) focusComposer();
  };

  renderChips([]);
  return {
    element: root,
    update(snapshot) {
      renderApproval(snapshot?.approval);
      renderChips(snapshot?.attachments ?? []);
    },
  };
}

function chip(doc: Document, attachment: PendingAttachment, remove: () => void): HTMLElement {
  const node = element(doc, 'span', 'attachment-chip');
  node.setAttribute('role', 'listitem');
  node.title = attachment.detail;
  node.append(codicon(doc, attachment.name.startsWith('Problems: ') ? 'warning' : 'file'), element(doc, 'span', 'chip-name', attachment.name));
  node.append(iconButton(doc, 'close', `Remove ${attachment.name}`, remove));
  return node;
}

/** The `#word` being typed right before the cursor, if any. */
export function hashQuery(text: string, cursor: number): { start: number; query: string } | undefined {
  const match = /(?:^|\s)#([^\s#]*)$/.exec(text.slice(0, cursor));
  if (!match) return undefined;
  return { start: cursor - match[1]!.length - 1, query: match[1]! };
}

/**
 * `#` in the message box completes a workspace file name: a list under the box, Up/Down to move,
 * Enter or Tab to attach the file (the `#word` leaves the text), Escape to close.
 */
export function wireHashCompletion(doc: Document, textarea: HTMLTextAreaElement, slot: HTMLElement, requests: Requests, newId: () => string, post: (message: WebviewMessage) => void): void {
  let asked = 0;
  const list = createCompletionList(doc, textarea, slot, {
    className: 'hash-completion',
    label: 'Files to attach',
    id: 'hash-completion',
    choose(file) {
      const typed = hashQuery(textarea.value, textarea.selectionStart);
      if (!typed) return;
      textarea.value = textarea.value.slice(0, typed.start) + textarea.value.slice(textarea.selectionStart);
      textarea.selectionStart = textarea.selectionEnd = typed.start;
      textarea.dispatchEvent(new (doc.defaultView?.Event ?? Event)('input'));
      post({ type: 'attachment/addFile', path: file });
    },
  });
  textarea.addEventListener('input', () => {
    const typed = hashQuery(textarea.value, textarea.selectionStart);
    if (!typed) return list.close();
    const mine = ++asked;
    requests.send({ type: 'attachment/findFiles', id: newId(), query: typed.query }).then((value) => {
      if (mine === asked) list.open(value.files.map((file) => ({ value: file })));
    }, () => list.close());
  });
}
