import * as vscode from 'vscode';
import type { ThreadInfo, ThreadStore } from '../../core/threads/threadStore.ts';

interface ThreadPickItem extends vscode.QuickPickItem {
  threadId?: string;
  showAll?: boolean;
}

/**
 * Asks which thread to show: this workspace's threads newest first, searchable by title, time and
 * last-message preview, with an entry that re-opens the pick over every workspace.
 */
export async function pickThread(store: ThreadStore, workspaceKey: string, currentId: string | undefined, all = false): Promise<string | undefined> {
  const threads = store.listThreads(all ? undefined : workspaceKey);
  const items: ThreadPickItem[] = threads.map((thread) => threadItem(store, thread, currentId, all));
  if (!all) {
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
    items.push({ label: '$(globe) Show threads of all workspaces', showAll: true, alwaysShow: true });
  }
  const picked = await vscode.window.showQuickPick(items, {
    title: all ? 'Session Chat: Threads of All Workspaces' : 'Session Chat: Switch Thread',
    placeHolder: threads.length > 0 ? 'Search threads by title or last message' : 'No threads yet',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (picked?.showAll) return pickThread(store, workspaceKey, currentId, true);
  return picked?.threadId;
}

function threadItem(store: ThreadStore, thread: ThreadInfo, currentId: string | undefined, all: boolean): ThreadPickItem {
  const parts = [relativeTime(thread.updatedAt)];
  if (all) parts.push(workspaceName(thread.workspaceKey));
  if (thread.id === currentId) parts.push('current');
  return {
    label: thread.id === currentId ? `$(comment-discussion) ${thread.title}` : thread.title,
    description: parts.join(' · '),
    detail: safePreview(store, thread.id),
    threadId: thread.id,
  };
}

function safePreview(store: ThreadStore, threadId: string): string {
  try {
    return store.preview(threadId) || '(empty)';
  } catch {
    return '';
  }
}

/** A folder or workspace file name for the key, so "all workspaces" says where a thread lives. */
export function workspaceName(key: string): string {
  if (key === '') return 'No workspace';
  try {
    const path = decodeURIComponent(new URL(key).pathname);
    return path.split('/').filter(Boolean).pop() ?? key;
  } catch {
    return key === 'empty-window' ? 'Empty window' : key;
  }
}

/** "just now", "5 min ago", "3 h ago", else the date. */
export function relativeTime(timestamp: number, now: number = Date.now()): string {
  const minutes = Math.round((now - timestamp) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min ago`;
  if (minutes < 24 * 60) return `${Math.round(minutes / 60)} h ago`;
  return new Date(timestamp).toLocaleDateString();
}
