import { randomUUID } from 'node:crypto';
import type * as vscode from 'vscode';
import { attachmentDetail, attachmentName, type Attachment } from '../../core/context/attachments.ts';
import type { PendingAttachment } from '../../shared/protocol.ts';

/** workspaceState key: the attachments waiting in this workspace's message box. */
const KEY = 'sessionChat.pendingAttachments';
/** Most attachments waiting at once; the oldest goes first. */
const MAX_PENDING = 20;
/** Longest content kept while waiting (the send cuts it again to the setting). */
const MAX_KEPT_CHARS = 1_000_000;

type Stored = Attachment & { id: string };

function isStored(value: unknown): value is Stored {
  const object = value as Partial<Stored> | null;
  return !!object && typeof object.id === 'string' && typeof object.path === 'string' && typeof object.content === 'string' && typeof object.kind === 'string';
}

/**
 * The attachments of the message box, kept in the workspace's state so they survive a reload
 * until the message is sent or they are removed. One list per workspace, as the box is one.
 */
export class PendingAttachments {
  readonly #memento: vscode.Memento;
  readonly #changed: () => void;

  constructor(memento: vscode.Memento, changed: () => void) {
    this.#memento = memento;
    this.#changed = changed;
  }

  all(): Stored[] {
    const value = this.#memento.get<unknown>(KEY);
    return Array.isArray(value) ? value.filter(isStored) : [];
  }

  views(): PendingAttachment[] {
    return this.all().map((attachment) => ({ id: attachment.id, name: attachmentName(attachment), detail: attachmentDetail(attachment) }));
  }

  async add(attachment: Attachment): Promise<void> {
    const kept = { ...attachment, content: attachment.content.slice(0, MAX_KEPT_CHARS), id: randomUUID() };
    // Adding the same range again replaces it rather than sending it twice.
    const others = this.all().filter((entry) => attachmentDetail(entry) !== attachmentDetail(attachment));
    await this.#memento.update(KEY, [...others, kept].slice(-MAX_PENDING));
    this.#changed();
  }

  async remove(id: string): Promise<void> {
    await this.#memento.update(KEY, this.all().filter((entry) => entry.id !== id));
    this.#changed();
  }

  /** Forgets the attachments `sent` (those stored with a message); any added meanwhile stay. */
  async sent(sent: readonly Stored[]): Promise<void> {
    const ids = new Set(sent.map((entry) => entry.id));
    await this.#memento.update(KEY, this.all().filter((entry) => !ids.has(entry.id)));
    this.#changed();
  }
}
