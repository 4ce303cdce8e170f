import { asObject, stringField } from '../items/itemFields.ts';
import type { Item } from '../session/session.ts';

/**
 * Attachments (a selection, a file, a file's problems) travel inside the user's message, as extra
 * `input_text` parts of its content in the Responses API's shape:
 *
 *   { type: 'message', role: 'user', content: [
 *       { type: 'input_text', text: 'What does this do?' },
 *       { type: 'input_text', text: '<attachment kind="selection" path="src/a.ts" language="typescript" lines="3-7">\n…\n</attachment>' } ] }
 *
 * Both SDKs read and send that item as it is, every wire API carries it (Chat Completions gets the
 * parts joined), Undo removes the attachment with its turn, and the panel recognises the parts by
 * their `<attachment` header to show a chip instead of the text.
 */

/** Default of `sessionChat.attachments.maxCharacters`: the longest content one attachment sends. */
export const DEFAULT_ATTACHMENT_MAX_CHARS = 20_000;

export type AttachmentKind = 'selection' | 'file' | 'problems';

/** An attachment waiting in the message box, or read back from a stored question. */
export interface Attachment {
  kind: AttachmentKind;
  /** Workspace-relative path with `/` (or the file's name when it is outside the workspace). */
  path: string;
  /** VS Code's language id, e.g. `typescript`; '' when unknown. */
  language: string;
  /** 1-based, inclusive; absent for a whole file. */
  startLine?: number;
  endLine?: number;
  content: string;
}

/** Escapes a header value (the header is one line of `key="value"` pairs). */
function quote(value: string): string {
  return value.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('\n', ' ');
}

function unquote(value: string): string {
  return value.replaceAll('&quot;', '"').replaceAll('&amp;', '&');
}

/** The chip's label: the file name, and the lines for a selection. */
export function attachmentName(attachment: Pick<Attachment, 'kind' | 'path' | 'startLine' | 'endLine'>): string {
  const file = attachment.path.split('/').at(-1) || attachment.path;
  if (attachment.kind === 'problems') return `Problems: ${file}`;
  if (attachment.startLine === undefined) return file;
  return attachment.startLine === attachment.endLine ? `${file}:${attachment.startLine}` : `${file}:${attachment.startLine}-${attachment.endLine}`;
}

/** The chip's tooltip: the path and the range. */
export function attachmentDetail(attachment: Pick<Attachment, 'kind' | 'path' | 'startLine' | 'endLine'>): string {
  const range = attachment.startLine === undefined ? '' : `, lines ${attachment.startLine}-${attachment.endLine}`;
  return `${attachment.kind === 'problems' ? 'Problems of ' : ''}${attachment.path}${range}`;
}

/** Content cut to `maxChars`, with a note saying how much was left out. */
export function cutContent(content: string, maxChars: number): string {
  if (content.length <= maxChars) return content;
  return `${content.slice(0, maxChars)}\n[Attachment cut at ${maxChars.toLocaleString('en-US')} of ${content.length.toLocaleString('en-US')} characters (setting sessionChat.attachments.maxCharacters).]`;
}

/** The text part an attachment is sent and stored as. */
export function attachmentText(attachment: Attachment, maxChars: number): string {
  const lines = attachment.startLine === undefined ? '' : ` lines="${attachment.startLine}-${attachment.endLine}"`;
  const header = `<attachment kind="${attachment.kind}" path="${quote(attachment.path)}" language="${quote(attachment.language)}"${lines}>`;
  return `${header}\n${cutContent(attachment.content, maxChars)}\n</attachment>`;
}

/** The user's message with its attachments; a plain string content without any, as before. */
export function userItemWith(text: string, attachments: readonly Attachment[], maxChars: number): Item {
  if (attachments.length === 0) return { type: 'message', role: 'user', content: text };
  const parts = [{ type: 'input_text', text }, ...attachments.map((attachment) => ({ type: 'input_text', text: attachmentText(attachment, maxChars) }))];
  return { type: 'message', role: 'user', content: parts };
}

const HEADER = /^<attachment kind="(selection|file|problems)" path="([^"]*)" language="([^"]*)"(?: lines="(\d+)-(\d+)")?>\n/;

/** An attachment part read back, or undefined for any other text. */
export function parseAttachmentText(text: string): Attachment | undefined {
  const match = HEADER.exec(text);
  if (!match || !text.endsWith('\n</attachment>')) return undefined;
  const [header, kind, path, language, start, end] = match;
  const attachment: Attachment = { kind: kind as AttachmentKind, path: unquote(path!), language: unquote(language!), content: text.slice(header.length, -'\n</attachment>'.length) };
  if (start !== undefined && end !== undefined) {
    attachment.startLine = Number(start);
    attachment.endLine = Number(end);
  }
  return attachment;
}

/** A user message's content split into what the user typed and the attachments. */
export function splitUserContent(content: unknown): { text: string; attachments: Attachment[] } {
  if (typeof content === 'string' || !Array.isArray(content)) return { text: typeof content === 'string' ? content : '', attachments: [] };
  const texts: string[] = [];
  const attachments: Attachment[] = [];
  for (const part of content) {
    const object = asObject(part);
    const text = object && stringField(object, 'text');
    if (text === undefined || text === null) continue;
    const attachment = parseAttachmentText(text);
    if (attachment) attachments.push(attachment);
    else texts.push(text);
  }
  return { text: texts.join('\n'), attachments };
}
