import type { ThreadView, TurnVersions } from '../../core/store/historyStore.ts';
import { toTurnPage, withVersions } from '../../core/view/paging.ts';
import type { ErrorView, Snapshot, StreamView } from '../../shared/protocol.ts';
import { DEFAULT_TITLE } from './threadTitle.ts';

/** What the snapshot adds to the stored thread: the host's live state. */
export interface SnapshotExtras {
  stream?: StreamView | undefined;
  error?: ErrorView | undefined;
  unsaved?: { text: string } | undefined;
  model: string;
  /** The store's versions of the page's turns (those with several). */
  versions?: ReadonlyMap<number, TurnVersions>;
}

/** The newest page of the thread plus the live state, as the webview renders it. */
export function buildSnapshot(threadId: string, view: ThreadView, extras: SnapshotExtras): Snapshot {
  const page = toTurnPage(view.page);
  const snapshot: Snapshot = {
    thread: { id: threadId, title: view.thread?.title ?? DEFAULT_TITLE, ...(view.thread?.pinned ? { pinned: true as const } : {}) },
    turns: extras.versions ? withVersions(page.turns, extras.versions) : page.turns,
    hasOlder: page.hasOlder,
    canUndo: view.canUndo,
    canRedo: view.canRedo,
    lastRowId: view.lastRowId,
    model: extras.model,
  };
  if (page.olderId !== undefined) snapshot.olderId = page.olderId;
  if (extras.stream) snapshot.stream = extras.stream;
  if (extras.error) snapshot.error = extras.error;
  if (extras.unsaved) snapshot.unsaved = extras.unsaved;
  return snapshot;
}
