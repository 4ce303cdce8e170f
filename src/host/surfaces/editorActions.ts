import * as vscode from 'vscode';
import { DisposableStore, type Disposable } from '../platform/disposable.ts';

/**
 * Remembers the last text editor the user worked in and where its cursors were. Clicking into the
 * chat makes the webview active, so `activeTextEditor` is undefined exactly when the user presses
 * "Insert"; and when the chat opened in the same editor group, that editor is not even visible.
 */
export class EditorTracker implements Disposable {
  private last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private selections: readonly vscode.Selection[] = this.last?.selections ?? [];
  private readonly disposables = new DisposableStore();

  constructor() {
    this.disposables.add(
      vscode.window.onDidChangeActiveTextEditor((editor) => {
        if (!editor) return;
        this.last = editor;
        this.selections = editor.selections;
      }),
    );
    this.disposables.add(
      vscode.window.onDidChangeTextEditorSelection((event) => {
        if (event.textEditor === this.last) this.selections = event.selections;
      }),
    );
  }

  /** The last text editor, shown again beside the chat if the chat covers it; else any visible one. */
  async target(): Promise<vscode.TextEditor | undefined> {
    const visible = vscode.window.visibleTextEditors;
    const last = this.last;
    if (last && visible.includes(last)) return last;
    if (last && !last.document.isClosed) {
      const shown = await vscode.window.showTextDocument(last.document, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true });
      if (this.selections.length > 0) shown.selections = [...this.selections];
      return shown;
    }
    return vscode.window.activeTextEditor ?? visible[0];
  }

  dispose(): void {
    this.disposables.dispose();
  }
}

/** Inserts `code` at every cursor of the target editor (replacing selections), then focuses it. */
export async function insertCode(tracker: EditorTracker, code: string): Promise<boolean> {
  const editor = await tracker.target();
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
