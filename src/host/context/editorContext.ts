import * as vscode from 'vscode';
import type { Attachment } from '../../core/context/attachments.ts';
import { toProblem } from './toolEnvironment.ts';

/** Largest file Add File reads (the send cuts the content again to the setting). */
const MAX_FILE_BYTES = 5_000_000;

/** A file's path as the chat names it: relative to its workspace folder (with the folder's name in a multi-root workspace). */
export function chatPath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, (vscode.workspace.workspaceFolders?.length ?? 0) > 1).replaceAll('\\', '/');
}

/** The editor's selection, or the whole document when nothing is selected. */
export function selectionAttachment(editor: vscode.TextEditor): Attachment {
  const { document, selection } = editor;
  if (selection.isEmpty) return { kind: 'file', path: chatPath(document.uri), language: document.languageId, content: document.getText() };
  // A selection that ends at the start of a line does not include that line.
  const endLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  return {
    kind: 'selection',
    path: chatPath(document.uri),
    language: document.languageId,
    startLine: selection.start.line + 1,
    endLine: endLine + 1,
    content: document.getText(selection),
  };
}

/** A whole file; an open document's text as the editor has it (unsaved changes included). */
export async function fileAttachment(uri: vscode.Uri): Promise<Attachment> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return { kind: 'file', path: chatPath(uri), language: open.languageId, content: open.getText() };
  const stat = await vscode.workspace.fs.stat(uri);
  if (stat.size > MAX_FILE_BYTES) throw new Error(`${chatPath(uri)} is too large to attach (${stat.size.toLocaleString('en-US')} bytes).`);
  const bytes = await vscode.workspace.fs.readFile(uri);
  if (bytes.subarray(0, 8000).includes(0)) throw new Error(`${chatPath(uri)} is a binary file: only text files can be attached.`);
  const document = await vscode.workspace.openTextDocument(uri);
  return { kind: 'file', path: chatPath(uri), language: document.languageId, content: document.getText() };
}

/** The problems VS Code reports for a file, one per line. */
export function problemsAttachment(document: vscode.TextDocument): Attachment {
  const problems = vscode.languages.getDiagnostics(document.uri).map((diagnostic) => toProblem(document.uri, diagnostic));
  const lines = problems.map((problem) => `${problem.line}:${problem.column} ${problem.severity}: ${problem.message}${problem.source ? ` (${problem.source})` : ''}`);
  return { kind: 'problems', path: chatPath(document.uri), language: document.languageId, content: lines.length ? lines.join('\n') : 'No problems reported.' };
}

/** A path the `#` completion listed, back to its file. */
export function fromChatPath(path: string): vscode.Uri | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const segments = path.split('/');
  if (segments.includes('..')) return undefined;
  if (folders.length > 1) {
    const folder = folders.find((entry) => entry.name === segments[0]);
    return folder && vscode.Uri.joinPath(folder.uri, ...segments.slice(1));
  }
  return folders[0] && vscode.Uri.joinPath(folders[0].uri, ...segments);
}
