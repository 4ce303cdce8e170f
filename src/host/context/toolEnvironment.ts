import * as vscode from 'vscode';
import { DEFAULT_TOOL_MAX_FILE_BYTES, type ToolPolicy } from '../../core/tools/pathRules.ts';
import type { Problem, ToolEnvironment } from '../../core/tools/workspaceTools.ts';
import { filesExclude, type ContextSettings } from './contextSettings.ts';

const SEVERITY: Record<vscode.DiagnosticSeverity, Problem['severity']> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

/** A VS Code diagnostic as the tools and attachments report it. */
export function toProblem(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Problem {
  const source = diagnostic.source ?? (typeof diagnostic.code === 'object' ? undefined : diagnostic.code?.toString());
  return {
    file: uri.fsPath,
    line: diagnostic.range.start.line + 1,
    column: diagnostic.range.start.character + 1,
    severity: SEVERITY[diagnostic.severity],
    message: diagnostic.message,
    ...(source ? { source } : {}),
  };
}

/** The tools' view of this window: its local workspace folders (remote ones are not on this disk), the settings, VS Code's problems. */
export function toolEnvironment(settings: ContextSettings): ToolEnvironment {
  const policy: ToolPolicy = {
    folders: (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => ({ name: folder.name, root: folder.uri.fsPath })),
    exclude: filesExclude(),
    blocked: settings.blockedFiles,
    maxFileBytes: DEFAULT_TOOL_MAX_FILE_BYTES,
  };
  return {
    policy,
    problems: (file) => {
      if (file) return vscode.languages.getDiagnostics(vscode.Uri.file(file)).map((diagnostic) => toProblem(vscode.Uri.file(file), diagnostic));
      return vscode.languages.getDiagnostics().flatMap(([uri, diagnostics]) => (uri.scheme === 'file' ? diagnostics.map((diagnostic) => toProblem(uri, diagnostic)) : []));
    },
  };
}
