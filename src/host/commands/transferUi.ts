import * as vscode from 'vscode';

/** A `Uri` passed to a command by a script or test (menus pass other things, meaning "ask"). */
export function targetUriOf(arg: unknown): vscode.Uri | undefined {
  return arg instanceof vscode.Uri ? arg : undefined;
}

/** One `Uri` or an array of them (as the explorer's multi-select passes), else undefined. */
export function sourceUrisOf(arg: unknown): vscode.Uri[] | undefined {
  if (arg instanceof vscode.Uri) return [arg];
  if (Array.isArray(arg) && arg.length > 0 && arg.every((item) => item instanceof vscode.Uri)) return arg as vscode.Uri[];
  return undefined;
}

type Report = (fraction: number, message: string) => void;

/**
 * Runs `work` under a cancellable progress notification when `show` (more than a few threads),
 * else directly. `work` reports a fraction done (0..1) and sees cancellation as an AbortSignal.
 */
export async function withOptionalProgress<T>(show: boolean, title: string, work: (report: Report, signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  if (!show) return work(() => undefined, controller.signal);
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
    token.onCancellationRequested(() => controller.abort());
    let reported = 0;
    const report: Report = (fraction, message) => {
      // withProgress adds increments; a fraction that is not known yet (0) only changes the words.
      const next = Math.min(100, Math.max(reported, Math.round(fraction * 100)));
      progress.report({ increment: next - reported, message });
      reported = next;
    };
    return work(report, controller.signal);
  });
}
