import type { DriverName, ThreadStore } from '../core/threads/threadStore.ts';
import type { TurnResult } from '../core/model/types.ts';
import type { Snapshot } from '../shared/protocol.ts';

/** What `activate()` returns: the handle the integration tests drive the extension through. */
export interface SessionChatApi {
  /** The SQLite driver the store uses. */
  readonly driver: DriverName;
  /** The one store of this extension host. */
  readonly store: ThreadStore;
  /** Key of this window's workspace (see workspaceKey.ts). */
  workspaceKey(): string;
  /** The thread the chat shows, undefined before one exists. */
  currentThreadId(): string | undefined;
  /** Sends like the panel's Send (full flow incl. storing and surfaces), resolves when the turn ends. */
  send(text: string): Promise<TurnResult>;
  /** The last snapshot posted to any chat surface (undefined if none open). */
  lastSnapshot(): Snapshot | undefined;
}
