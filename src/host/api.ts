import type { DriverName } from '../core/session/sqliteDriver.ts';
import type { HistoryStore, SwitchVersionResult, ThreadInfo } from '../core/store/historyStore.ts';
import type { TurnResult } from '../core/model/types.ts';
import type { Snapshot } from '../shared/protocol.ts';

/**
 * What `activate()` returns: the handle the integration tests drive the extension through. Other
 * extensions get it too (VS Code hands every caller of `getExtension().exports` the same object),
 * so the history store itself is in it only when the extension runs in test mode.
 */
export interface SessionChatApi {
  /**
   * Loads the chat (database, model client), as opening a chat or running a command does: activation
   * alone loads neither. `driver`, `store`, `databasePath`, `workspaceKey()` and `currentThreadId()`
   * throw until it has.
   */
  ready(): Promise<void>;
  /** The SQLite driver the store uses, or `postgres` while the history is kept in PostgreSQL. */
  readonly driver: DriverName | 'postgres';
  /** The one history store of this extension host; only in test mode (`ExtensionMode.Test`). */
  readonly store: HistoryStore | undefined;
  /** The database file; only in test mode, so tests can stand in for another program writing to it. */
  readonly databasePath: string | undefined;
  /** Key of this window's workspace (see workspaceKey.ts). */
  workspaceKey(): string;
  /** The thread the chat shows, undefined before one exists. */
  currentThreadId(): string | undefined;
  /** Sends like the panel's Send (full flow incl. storing and surfaces), resolves when the turn ends. */
  send(text: string): Promise<TurnResult>;
  /**
   * Edit message on turn `turnId` of the shown thread, like the panel's Send edit (which passes the
   * `expectedLastRowId` of the snapshot it shows; without one, the thread as it is now); resolves
   * when the new answer ends.
   */
  editQuestion(turnId: number, text: string, expectedLastRowId?: number): Promise<TurnResult | { status: 'conflict' }>;
  /** Regenerate answer of turn `turnId`; resolves when the new answer ends. */
  regenerate(turnId: number, expectedLastRowId?: number): Promise<TurnResult | { status: 'conflict' }>;
  /** The panel's Previous version / Next version on turn `turnId`. */
  switchVersion(turnId: number, direction: 'previous' | 'next', expectedLastRowId?: number): Promise<SwitchVersionResult>;
  /** Fork thread from here on turn `turnId` (default the last turn); the new thread is shown. */
  forkThread(turnId?: number): Promise<ThreadInfo | undefined>;
  /** The last snapshot posted to any chat surface (undefined if none open). */
  lastSnapshot(): Snapshot | undefined;
  /** The panel's agent picker: the agent of the next messages ('' = the default agent). */
  selectAgent(name: string): Promise<void>;
  /** The panel's Stop on the answer streaming as request `requestId` (`Snapshot.stream.id`); false when it already ended. */
  stop(requestId: string): Promise<boolean>;
}
