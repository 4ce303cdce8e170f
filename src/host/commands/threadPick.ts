import * as vscode from 'vscode';
import type { HistoryStore, ThreadInfo } from '../../core/store/historyStore.ts';
import { relativeTime, workspaceName } from './threadWords.ts';

interface ThreadPickItem extends vscode.QuickPickItem {
  threadId?: string;
  showAll?: boolean;
}

/**
 * Asks which thread to show: this workspace's threads, pinned ones first, then newest first,
 * searchable by title, time and last-message preview, with an entry that re-opens the pick over
 * every workspace. While it is open, a change made in another window (a new thread, a rename, a
 * delete) shows in it.
 */
export async function pickThread(store: HistoryStore, workspaceKey: string, currentId: string | undefined, all = false): Promise<string | undefined> {
  const pick = vscode.window.createQuickPick<ThreadPickItem>();
  pick.title = all ? 'Session Chat: Threads of All Workspaces' : 'Session Chat: Switch Thread';
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.busy = true;
  const load = async (): Promise<void> => {
    const threads = await store.listThreads(all ? undefined : workspaceKey);
    const previews = await store.previews(threads.map((thread) => thread.id)).catch(() => new Map<string, string>());
    const items = threads.map((thread) => threadItem(thread, previews.get(thread.id), currentId, all));
    if (!all) items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(globe) Show threads of all workspaces', showAll: true, alwaysShow: true });
    pick.placeholder = threads.length > 0 ? 'Search threads by title or last message' : 'No threads yet';
    pick.items = items;
    pick.busy = false;
  };
  const stopWatching = store.onDidChange(() => void load());
  try {
    const picked = await new Promise<ThreadPickItem | undefined>((resolve) => {
      pick.onDidAccept(() => resolve(pick.selectedItems[0]));
      pick.onDidHide(() => resolve(undefined));
      pick.show();
      void load();
    });
    pick.hide();
    if (picked?.showAll) return pickThread(store, workspaceKey, currentId, true);
    return picked?.threadId;
  } finally {
    stopWatching();
    pick.dispose();
  }
}

function threadItem(thread: ThreadInfo, preview: string | undefined, currentId: string | undefined, all: boolean): ThreadPickItem {
  const parts = [relativeTime(thread.updatedAt)];
  if (all) parts.push(workspaceName(thread.workspaceKey));
  if (thread.id === currentId) parts.push('current');
  // The store lists pinned threads first; the pin says why they are on top.
  const icons = [thread.id === currentId ? '$(comment-discussion)' : '', thread.pinned ? '$(pinned)' : ''].filter(Boolean);
  return {
    label: [...icons, thread.title].join(' '),
    description: parts.join(' · '),
    detail: preview === undefined ? '' : preview || '(empty)',
    threadId: thread.id,
  };
}
