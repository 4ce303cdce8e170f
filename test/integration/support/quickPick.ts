import * as vscode from 'vscode';
import { command } from './extension.ts';

/**
 * Runs the command `name` that shows a quick pick, moves down `steps` rows and accepts: resolves
 * with what the command returns for that row. The pick is drawn by the workbench in the browser,
 * which the extension host cannot see, so it waits `settleMs` first; an accept that came too early
 * (or a row that opens a second pick) leaves a pick open, which is closed, and the command's own
 * answer (often undefined) is returned.
 */
export async function pickNth<T>(name: string, steps: number, settleMs: number): Promise<T | undefined> {
  const picked = command<T | undefined>(name);
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  for (let i = 0; i < steps; i++) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  const settled = await Promise.race([picked, new Promise((resolve) => setTimeout(resolve, 1500, 'open'))]);
  if (settled === 'open') {
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    return picked;
  }
  return settled as T | undefined;
}
