import * as vscode from 'vscode';
import type { Disposable } from './disposable.ts';

/**
 * Remembers the last text editor the user worked in. Clicking into the chat makes the webview
 * active, so `activeTextEditor` is undefined exactly when the user presses "Insert".
 */
export class EditorTracker implements Disposable {
  private last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly listener = vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor) this.last = editor;
  });

  /** The last active text editor if it is still open, else any visible one. */
  target(): vscode.TextEditor | undefined {
    const visible = vscode.window.visibleTextEditors;
    if (this.last && visible.includes(this.last)) return this.last;
    const sameDocument = this.last && visible.find((editor) => editor.document === this.last?.document);
    return sameDocument || vscode.window.activeTextEditor || visible[0];
  }

  dispose(): void {
    this.listener.dispose();
  }
}

/** Inserts `code` at every cursor of the target editor (replacing selections), then focuses it. */
export async function insertCode(tracker: EditorTracker, code: string): Promise<boolean> {
  const editor = tracker.target();
  if (!editor) {
    void vscode.window.showInformationMessage('Session Chat: open a file first; the code is inserted at its cursor.');
    return false;
  }
  const done = await editor.edit((edit) => {
    for (const selection of editor.selections) edit.replace(selection, code);
  });
  if (!done) {
    void vscode.window.showWarningMessage('Session Chat: the editor refused the insertion (is the file read-only?).');
    return false;
  }
  await vscode.window.showTextDocument(editor.document, { viewColumn: editor.viewColumn, preserveFocus: false });
  return true;
}

/** Copies `code` to the system clipboard. */
export async function copyCode(code: string): Promise<void> {
  await vscode.env.clipboard.writeText(code);
  vscode.window.setStatusBarMessage('$(copy) Code copied', 2000);
}
