import * as vscode from 'vscode';
import type { ApprovalAnswer, ToolCallRequest } from '../../core/tools/turnTools.ts';
import { prettyArgs } from '../../core/view/itemText.ts';
import type { ApprovalView } from '../../shared/protocol.ts';

/** workspaceState key: the tools the user always allows in this workspace. */
const ALWAYS_KEY = 'sessionChat.alwaysAllowedTools';

interface Waiting {
  call: ToolCallRequest;
  settle(answer: ApprovalAnswer): void;
}

/**
 * The tool calls waiting for the user, one per thread (a thread runs one request at a time, and
 * its calls are asked one after another). A wait ends with the user's answer or with Stop; the
 * host holds it, so a panel that reloads shows it again from the snapshot.
 */
export class ToolApprovals {
  readonly #waiting = new Map<string, Waiting>();
  readonly #memento: vscode.Memento;
  readonly #changed: () => void;

  constructor(memento: vscode.Memento, changed: () => void) {
    this.#memento = memento;
    this.#changed = changed;
  }

  alwaysAllowed(): string[] {
    const value = this.#memento.get<unknown>(ALWAYS_KEY);
    return Array.isArray(value) ? value.filter((name): name is string => typeof name === 'string') : [];
  }

  /** Asks about `call` in `threadId`, unless the tool is always allowed here; `stopped` when `signal` aborts first. */
  approve(threadId: string, call: ToolCallRequest, signal: AbortSignal): Promise<ApprovalAnswer> {
    if (this.alwaysAllowed().includes(call.name)) return Promise.resolve('allow');
    if (signal.aborted) return Promise.resolve('stopped');
    return new Promise((resolve) => {
      const onAbort = (): void => waiting.settle('stopped');
      const waiting: Waiting = {
        call,
        settle: (answer) => {
          if (this.#waiting.get(threadId) !== waiting) return;
          this.#waiting.delete(threadId);
          signal.removeEventListener('abort', onAbort);
          resolve(answer);
          this.#changed();
        },
      };
      signal.addEventListener('abort', onAbort, { once: true });
      this.#waiting.set(threadId, waiting);
      this.#changed();
    });
  }

  /** What the panel shows for `threadId`'s waiting call. */
  view(threadId: string): ApprovalView | undefined {
    const waiting = this.#waiting.get(threadId);
    return waiting && { callId: waiting.call.callId, name: waiting.call.name, args: prettyArgs(waiting.call.arguments) };
  }

  /** The user's answer from the panel; a stale one (the call already ended) is ignored. */
  async answer(callId: string, decision: 'allow' | 'deny' | 'always'): Promise<void> {
    const waiting = [...this.#waiting.values()].find((entry) => entry.call.callId === callId);
    if (!waiting) return;
    if (decision === 'always') {
      const names = new Set([...this.alwaysAllowed(), waiting.call.name]);
      await this.#memento.update(ALWAYS_KEY, [...names].sort());
    }
    waiting.settle(decision === 'deny' ? 'deny' : 'allow');
  }

  /** The command: pick the always-allowed tools to ask about again. */
  async revoke(): Promise<void> {
    const allowed = this.alwaysAllowed();
    if (allowed.length === 0) {
      void vscode.window.showInformationMessage('Session Chat: no tool is always allowed in this workspace; every tool call asks first.');
      return;
    }
    const picked = await vscode.window.showQuickPick(allowed.map((name) => ({ label: name, picked: true })), {
      canPickMany: true,
      title: 'Ask again before these tools run',
      placeHolder: 'Checked tools will ask for approval again in this workspace',
    });
    if (!picked) return;
    const revoked = new Set(picked.map((item) => item.label));
    await this.#memento.update(ALWAYS_KEY, allowed.filter((name) => !revoked.has(name)));
    this.#changed();
  }
}
