/**
 * One thread as export and import carry it, whatever file it came from: the catalogue row and
 * every item exactly as stored. Parsers of other tools' files produce these; the store imports them
 * (HistoryStore.importThread) and exports them (HistoryStore.exportThread).
 */
export interface ThreadRecord {
  /**
   * Our thread id for our own exports; for another tool's file a stable id derived from that
   * tool's own id (the same conversation always gets the same id), so a second import finds it.
   */
  id: string;
  title: string;
  /** The workspace the source names (our workspace key, or a folder URI); '' when it names none. */
  workspaceKey: string;
  /** Epoch ms. */
  createdAt: number;
  updatedAt: number;
  pinned: boolean;
  /** The `message_data` of each item, oldest first, byte for byte: the JSON text of one SDK item. */
  items: string[];
  /** Other versions of turns (our own exports). */
  versions?: VersionGroupRecord[];
}

/** The versions of one turn: where the turn starts in `items`, and each version not shown. */
export interface VersionGroupRecord {
  /** How many items of the shown history come before the turn (its position, not a row id). */
  after: number;
  /** 0-based index of the version `items` shows. */
  shown: number;
  /**
   * Every version in order; the shown one has `items` null (its items are the thread's own from
   * `after` on). `nested` is the store's JSON of groups inside a hidden suffix, kept as it was.
   */
  versions: Array<{ index: number; items: string[] | null; nested: string | null; createdAt: number }>;
}

/** Where a file came from, for messages and the summary. */
export type SourceFormat = 'session-chat' | 'agents-sdk-sqlite' | 'vscode-chat' | 'continue' | 'cline' | 'roo';

/** A problem with one file (or one conversation in it) that the rest of the batch survives. */
export interface SkippedSource {
  /** The file's path (or path#conversation). */
  source: string;
  /** One sentence a user can act on: "not valid JSON at line 3", "unknown format", "larger than 64 MB". */
  reason: string;
}
