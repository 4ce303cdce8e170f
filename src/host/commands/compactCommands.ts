import * as vscode from 'vscode';
import { compactThread, type CompactionOutcome } from '../../core/context/compaction.ts';
import { answerReserve } from '../../core/context/contextBudget.ts';
import type { RunError } from '../../core/model/runError.ts';
import type { ErrorAction } from '../../shared/protocol.ts';
import { describeRunError } from '../chat/runErrorWords.ts';
import type { Disposable } from '../platform/disposable.ts';
import { redactUrl } from '../platform/settings.ts';
import { COMMAND_IDS } from './commandIds.ts';
import { registerCommand, type CommandDeps } from './commandContext.ts';

/** Compact Thread. */
export function registerCompactCommands(deps: CommandDeps): Disposable[] {
  return [registerCommand(deps, 'compactThread', () => compact(deps))];
}

/**
 * Compacts the shown thread with the model a chat turn would use, under a cancellable
 * notification. Returns how it ended (for scripts and tests); the user is told in every case.
 */
async function compact(deps: CommandDeps): Promise<CompactionOutcome> {
  const { controller, log } = deps;
  const threadId = await controller.threadId();
  // A summary written while an answer streams would be refused anyway (the thread changes under it).
  if (controller.isRunning(threadId)) {
    void vscode.window.showInformationMessage('Session Chat: a request is running in this thread. Wait for it or press Stop, then compact the thread.');
    return { status: 'nothing', reason: 'a request is running in this thread.' };
  }
  // The source and model the next message would use (the picked agent's, if it names one); the
  // summariser's instructions replace the agent's. The request must fit the model's window.
  const { source, sourceKind, settings, context } = await controller.planner.plan(controller.store, threadId);
  const maxInputTokens = context.window - answerReserve(context.window);
  log.info(`Compact Thread: ${settings.model} (${sourceKind === 'vscode' ? 'VS Code language model' : `${settings.api} at ${redactUrl(settings.baseUrl)}`}), up to ${maxInputTokens} tokens`);
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Session Chat: Compacting thread…', cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      const cancel = token.onCancellationRequested(() => abort.abort());
      return compactThread(controller.store, threadId, source, settings, { signal: abort.signal, maxInputTokens }).finally(() => cancel.dispose());
    },
  );
  log.info(`Compact Thread: ${outcome.status}${outcome.status === 'failed' ? ` (${outcome.error.kind}${outcome.error.status ? ` ${outcome.error.status}` : ''})` : ''}`);
  if (outcome.status === 'compacted') controller.refresh();
  tell(outcome, (error) => describeRunError(error, { baseUrl: settings.baseUrl, model: settings.model, api: settings.api, hasApiKey: Boolean(settings.apiKey) }));
  return outcome;
}

/** Says how it ended; a failure of the model in the words a chat error uses, with its buttons. */
function tell(outcome: CompactionOutcome, words: (error: RunError) => { message: string; actions: ErrorAction[] }): void {
  switch (outcome.status) {
    case 'compacted':
      void vscode.window.showInformationMessage(`Session Chat: ${compactedText(outcome.turns, outcome.kept, outcome.omitted)}`);
      return;
    case 'nothing':
      void vscode.window.showInformationMessage(`Session Chat: Nothing to compact: ${outcome.reason}`);
      return;
    case 'failed': {
      const { message, actions } = words(outcome.error);
      offer(`Session Chat: the thread was not compacted. ${message}`, actions);
      return;
    }
    case 'stopped':
      void vscode.window.showInformationMessage(
        outcome.cut
          ? `Session Chat: the summary was cut off at the ${outcome.cut === 'length' ? 'answer length limit (sessionChat.maxAnswerCharacters)' : 'answer time limit (sessionChat.maxAnswerSeconds)'}, so nothing was stored.`
          : 'Session Chat: compaction cancelled; the thread is unchanged.',
      );
      return;
    case 'empty':
      void vscode.window.showWarningMessage('Session Chat: the model answered with an empty summary, so nothing was stored. Try again or choose another model.');
      return;
    case 'conflict':
      void vscode.window.showWarningMessage('Session Chat: the thread changed while the summary was written (a message was sent or undone), so nothing was stored. Compact again to include the change.');
  }
}

/** "Compacted 12 turns into a summary; the newest 2 are still sent as they are. Undo Last Turn brings the thread back." */
export function compactedText(turns: number, kept: number, omitted = 0): string {
  const summarised = `Compacted ${turns === 1 ? '1 turn' : `${turns} turns`} into a summary`;
  const verbatim = kept === 0 ? 'no turn is sent as it was' : kept === 1 ? 'the newest turn is still sent as it is' : `the newest ${kept} are still sent as they are`;
  const left = omitted === 0 ? '' : ` The ${omitted === 1 ? 'oldest turn' : `${omitted} oldest turns`} did not fit in the model's context window, so the summary leaves ${omitted === 1 ? 'it' : 'them'} out.`;
  return `${summarised}; ${verbatim}.${left} Undo Last Turn brings the thread back.`;
}

/** The buttons a chat error offers that make sense outside the panel, as commands. */
const ACTION_COMMANDS: Partial<Record<ErrorAction, { label: string; run(): Thenable<unknown> }>> = {
  retry: { label: 'Retry', run: () => vscode.commands.executeCommand(COMMAND_IDS.compactThread) },
  setApiKey: { label: 'Set API Key', run: () => vscode.commands.executeCommand(COMMAND_IDS.setApiKey) },
  selectModel: { label: 'Select Model', run: () => vscode.commands.executeCommand(COMMAND_IDS.selectModel) },
  openSettings: { label: 'Open Settings', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'sessionChat') },
};

function offer(message: string, actions: readonly ErrorAction[]): void {
  const buttons = actions.flatMap((action) => ACTION_COMMANDS[action] ?? []);
  void vscode.window.showErrorMessage(message, ...buttons.map((button) => button.label)).then((choice) => {
    void buttons.find((button) => button.label === choice)?.run();
  });
}
