import type { ThreadStore } from '../../core/threads/threadStore.ts';
import { itemsToTurns } from '../../core/view/itemsToTurns.ts';
import { newestPage, pageBefore } from '../../core/view/paging.ts';
import type { ErrorView, OlderTurns, Snapshot, StreamView } from '../../shared/protocol.ts';

/** What the snapshot adds to the stored thread: the host's live state. */
export interface SnapshotExtras {
  stream?: StreamView;
  error?: ErrorView;
  model: string;
}

/** The newest page of the thread plus the live state, as the webview renders it. */
export function buildSnapshot(store: ThreadStore, threadId: string, extras: SnapshotExtras): Snapshot {
  const thread = store.getThread(threadId);
  const page = newestPage(itemsToTurns(store.getItems(threadId)));
  const snapshot: Snapshot = {
    thread: { id: threadId, title: thread?.title ?? 'New thread' },
    turns: page.turns,
    hasOlder: page.hasOlder,
    canUndo: store.canUndo(threadId),
    canRedo: store.canRedo(threadId),
    model: extras.model,
  };
  if (extras.stream) snapshot.stream = extras.stream;
  if (extras.error) snapshot.error = extras.error;
  return snapshot;
}

/** The page of turns before `beforeIndex`, for `thread/loadOlder`. */
export function olderTurns(store: ThreadStore, threadId: string, beforeIndex: number): OlderTurns {
  return pageBefore(itemsToTurns(store.getItems(threadId)), beforeIndex);
}
