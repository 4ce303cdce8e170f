import * as vscode from 'vscode';
import type { Disposable } from '../platform/disposable.ts';
import type { StoreManager, StoreState } from './storeManager.ts';

/** The status bar's words for a store state: text, tooltip, and whether it is a warning. */
export function statusWords(state: StoreState): { text: string; tooltip: string; warning: boolean } {
  if (state.kind === 'local') {
    return { text: '$(database) Local', tooltip: 'Session Chat keeps its history in a SQLite database on this machine. Click for storage options (Connect to PostgreSQL...).', warning: false };
  }
  switch (state.status) {
    case 'connected':
      return { text: '$(database) PostgreSQL', tooltip: `Session Chat keeps its history in PostgreSQL at ${state.where} (connected). Click for storage options.`, warning: false };
    case 'connecting':
      return { text: '$(sync~spin) PostgreSQL', tooltip: `Session Chat is connecting to PostgreSQL at ${state.where}.`, warning: false };
    case 'notConnected':
      return { text: '$(warning) PostgreSQL: not connected', tooltip: 'Session Chat is set to use PostgreSQL, but no server is connected. Click to connect.', warning: true };
    default: {
      const retry = state.retryAt ? ` Next try in about ${Math.max(1, Math.round((state.retryAt - Date.now()) / 1000))} s;` : '';
      return {
        text: `$(warning) PostgreSQL: ${state.status}`,
        tooltip: `PostgreSQL at ${state.where}: ${state.status} (${state.reason ?? 'no answer'}). Nothing is saved until it is back.${retry} click to retry now or change storage.`,
        warning: true,
      };
    }
  }
}

/** The status bar item that shows where the history is kept and whether that store answers. */
export function storeStatusBar(manager: StoreManager, command: string): Disposable {
  const item = vscode.window.createStatusBarItem('sessionChat.storage', vscode.StatusBarAlignment.Right, 100);
  item.name = 'Session Chat Storage';
  item.command = command;
  const show = (state: StoreState): void => {
    const words = statusWords(state);
    item.text = words.text;
    item.tooltip = words.tooltip;
    item.accessibilityInformation = { label: `Session Chat storage: ${words.text.replace(/\$\([^)]*\)\s*/g, '')}` };
    item.backgroundColor = words.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
  };
  show(manager.state);
  item.show();
  const listening = manager.onDidChangeState(show);
  return {
    dispose: () => {
      listening.dispose();
      item.dispose();
    },
  };
}
