import type { TokenUsage } from '../model/usage.ts';
import type { Item, Session } from '../session/session.ts';
import type { ThreadRecord } from '../transfer/threadRecord.ts';

/** One thread of the catalogue. Times are epoch ms. */
export interface ThreadInfo {
  /** Equals the SDK session id its items are stored under. */
  id: string;
  /** The workspace it belongs to; '' for sessions adopted from a file the SDK wrote. */
  workspaceKey: string;
  title: string;
  createdAt: number;
  updatedAt: number;
  /** Pinned threads come first in thread lists and search results. */
  pinned: boolean;
}

/** One message (or tool call, or tool output) that matches a search. */
export interface SearchHit {
  threadId: string;
  threadTitle: string;
  workspaceKey: string;
  /** The thread is pinned (pinned threads' hits come first). */
  pinned: boolean;
  /** The matching item's row id. */
  rowId: number;
  /** The row id of the first item of the turn that holds it: the turn's id in pages. */
  turnId: number;
  /** What kind of item matched. */
  role: 'user' | 'assistant' | 'tool';
  /** One line of the item's text around the (first) match, at most about 120 characters. */
  snippet: string;
  /** Where the query matched inside `snippet`: [start, end) character offsets, in order. */
  highlights: Array<[number, number]>;
  /** When the message was stored (epoch ms; the thread's last activity when unknown). */
  at: number;
}

/** What a search covers and how many hits it returns. */
export interface SearchOptions {
  /** This workspace's hits come first; threads of every workspace are searched. */
  workspaceKey?: string;
  /** At most this many hits (default 50). */
  limit?: number;
}

/** How far the search index is behind the stored rows. */
export interface SearchIndexStatus {
  /** Rows not indexed yet (written by another program, or before the index existed). */
  pending: number;
  indexed: number;
}

/** A stored item with the row id that orders it (and names it in pages and transactions). */
export interface StoredItem {
  rowId: number;
  item: Item;
}

/**
 * Who answered a turn and what it cost, kept in a table of our own beside the SDK's (as the
 * SDK's `AdvancedSQLiteSession` keeps `turn_usage`): the SDK's tables stay exactly the SDK's.
 */
export interface AnswerRecord {
  /** The agent that answered (`sessionChat.agents`); absent for the default agent. */
  agent?: string;
  /** The model that answered, as the source names it. */
  model?: string;
  /** Which source answered, e.g. `openai-compatible` or `vscode`. */
  source?: string;
  usage?: TokenUsage;
}

/** The usage of the answers still in a thread (undone or cleared turns do not count). */
export interface ThreadUsage extends TokenUsage {
  /** How many answers have a record. */
  answers: number;
}

/**
 * The newest (or an older) page of a thread: whole turns, oldest first, read without touching the
 * rest of the thread. A turn is named by the row id of its first item.
 */
export interface ItemPage {
  /** The page's items, oldest first, starting at a turn's first item. Unreadable rows are left out. */
  items: StoredItem[];
  /** Turns older than this page exist. */
  hasOlder: boolean;
  /** The id of the turn just before the page's first turn; present exactly when `hasOlder`. */
  olderId?: number;
  /** The answer records of the page's turns, by turn id (only turns that have one). */
  answers?: ReadonlyMap<number, AnswerRecord>;
}

/** What the panel shows of a thread besides its items, read together with its newest page. */
export interface ThreadView {
  thread: ThreadInfo | undefined;
  page: ItemPage;
  /** The thread's newest row (0 when empty): the version a later change can expect. */
  lastRowId: number;
  canUndo: boolean;
  canRedo: boolean;
  /** The usage of every answer still in the thread; absent when none has a record. */
  usage?: ThreadUsage;
}

/**
 * A history change that applies only to the history the caller saw (as the Agents SDK's
 * `SessionHistoryTransactionAwareSession.applyHistoryTransaction`): the thread must still end at
 * `expectedLastRowId`, else nothing changes and the result says `conflict`. Rows from
 * `replaceFromRowId` on are replaced by `replacement` (absent: `replacement` is appended).
 * Repeating an `operationId` with the same change succeeds without applying it again; reusing
 * it for a different change throws.
 */
export interface HistoryTransaction {
  /** Stable across retries of the same change. */
  operationId: string;
  threadId: string;
  /** The newest row id the caller saw; 0 for an empty thread. */
  expectedLastRowId: number;
  /** First row of the suffix to replace; must not be after `expectedLastRowId`. */
  replaceFromRowId?: number;
  replacement: Item[];
  /**
   * Recorded in the same transaction for the answer `replacement` holds (its last row names it).
   * The record follows its rows through Undo/Redo, Clear and its undo, and version switches: it
   * counts while they are in the thread and comes back with them.
   */
  answer?: AnswerRecord;
}

/** How a {@link HistoryTransaction} ended; `lastRowId` is the thread's newest row afterwards. */
export type TransactionResult =
  | { status: 'applied' | 'duplicate'; lastRowId: number }
  | { status: 'conflict'; lastRowId: number };

/** What Undo, Redo or the undo of a Clear did. */
export type HistoryEditResult =
  | {
      status: 'done';
      /** `turnRemoved` by Undo, `clearUndone` by Undo right after a Clear, `turnRestored` by Redo. */
      kind: 'turnRemoved' | 'clearUndone' | 'turnRestored';
      items: Item[];
    }
  /** Nothing to undo or redo. */
  | { status: 'nothing' }
  /** The thread changed since the entry was made (another window or program wrote): refused, nothing changed. */
  | { status: 'conflict' };

/** Which version of a turn the thread shows, and how many it has (see {@link HistoryStore.versionsOf}). */
export interface TurnVersions {
  /** 0-based index of the version shown; versions are numbered in the order they were made. */
  index: number;
  /** How many versions the turn has (at least 2 for a turn that appears in the map). */
  count: number;
}

/**
 * How an edit or a regeneration ended. `done`: the thread now ends with the new version's question
 * (row `questionRowId`, also `lastRowId`), which the host answers next. `conflict`: the thread no
 * longer ends at the expected row, or `turnId` does not start a turn of it; nothing changed.
 */
export type NewVersionResult =
  | { status: 'done'; questionRowId: number; lastRowId: number; versions: TurnVersions }
  | { status: 'conflict'; lastRowId: number };

/** Which version {@link HistoryStore.switchVersion} shows: the one before or after the shown one, or a 0-based index. */
export type VersionTarget = 'previous' | 'next' | number;

/**
 * How a version switch ended. `done`: the chosen version and everything that followed it are the
 * thread's history now; `turnId` names the turn again (its rows have new ids) and `lastRowId` is
 * the thread's new end. `conflict`: the thread changed since the caller saw it (another window, a
 * script), `turnId` has no versions, or the target does not exist; nothing changed.
 */
export type SwitchVersionResult =
  | { status: 'done'; turnId: number; lastRowId: number; versions: TurnVersions }
  | { status: 'conflict'; lastRowId: number };

/**
 * How an import of one thread ended. `created`: a new thread. `extended`: the thread was there and
 * `added` newer items were appended. `unchanged`: it already held everything (a second import).
 * `copied`: a thread with that id has gone another way (edited or undone since), so the record
 * became a thread of its own beside it ("<title> (imported)"), found again on the next import.
 */
export interface ImportThreadResult {
  status: 'created' | 'extended' | 'unchanged' | 'copied';
  thread: ThreadInfo;
  added: number;
}

/** Stops a subscription. */
export type Unsubscribe = () => void;

/**
 * Everything the chat keeps, behind one async, backend-neutral interface: threads per workspace,
 * their items (in the Agents SDK's session format), pages of turns, undo / redo / clear, and a
 * signal when another window or program changed the store. SQLite implements it today; every
 * implementation passes the same contract suite (test/unit/helpers/historyStoreContract.ts).
 */
export interface HistoryStore {
  /** For the log: the backend and where it keeps its data. */
  readonly description: string;

  listThreads(workspaceKey?: string): Promise<ThreadInfo[]>;
  getThread(threadId: string): Promise<ThreadInfo | undefined>;
  createThread(workspaceKey: string, title?: string): Promise<ThreadInfo>;
  /** Trims the title; throws on an empty title or an unknown thread. */
  renameThread(threadId: string, title: string): Promise<ThreadInfo>;
  /** Deletes the thread with its items, undo entries and current-thread pointers. */
  deleteThread(threadId: string): Promise<void>;
  currentThreadId(workspaceKey: string): Promise<string | undefined>;
  setCurrentThread(workspaceKey: string, threadId: string): Promise<void>;
  /** The newest message text of each thread on one line ('' when none), for thread lists. */
  previews(threadIds: readonly string[]): Promise<Map<string, string>>;
  /** Pins or unpins a thread; throws on an unknown thread. */
  setPinned(threadId: string, pinned: boolean): Promise<ThreadInfo>;

  /**
   * Finds `query` in the messages, answers, tool calls and tool outputs of every thread: words and
   * prefixes, fragments inside identifiers and paths, "exact phrases"; case- and
   * accent-insensitive; any text is a valid query. Pinned threads first, then
   * `options.workspaceKey`'s, then newest first. Catches up with rows other programs wrote first.
   */
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  /** The row ids of one thread's items that match `query` (as {@link search} matches), oldest first. */
  findInThread(threadId: string, query: string): Promise<number[]>;
  /** How many stored rows the search index has not seen yet. */
  searchIndexStatus(): Promise<SearchIndexStatus>;
  /**
   * Indexes up to `maxRows` rows the index has not seen; returns how many are still pending. Short
   * slices, so a large file is indexed in the background without holding the thread.
   */
  indexPending(maxRows: number): Promise<number>;

  /** All items oldest first, or the latest `limit` (the SDK's `getItems(limit)`). */
  getItems(threadId: string, limit?: number): Promise<Item[]>;
  /** The newest readable item with its row id. */
  lastItem(threadId: string): Promise<StoredItem | undefined>;
  /** True when the thread has at least one user message. */
  hasTurns(threadId: string): Promise<boolean>;
  /** The thread, its newest page of `pageSize` turns and its undo state, in one read. */
  readView(threadId: string, pageSize: number): Promise<ThreadView>;
  /** The `pageSize` turns before the turn `beforeTurnId`. */
  pageBefore(threadId: string, beforeTurnId: number, pageSize: number): Promise<ItemPage>;

  /** Appends (dropping the thread's redo entries); returns the newest row id. */
  appendItems(threadId: string, items: Item[]): Promise<number>;
  applyTransaction(transaction: HistoryTransaction): Promise<TransactionResult>;
  /** Restores a Clear that was the latest change, else removes the newest turn (kept for Redo). */
  undoTurn(threadId: string): Promise<HistoryEditResult>;
  redoTurn(threadId: string): Promise<HistoryEditResult>;
  /** Restores a Clear only while it is still the thread's latest change. */
  undoClear(threadId: string): Promise<HistoryEditResult>;
  /** Removes every item, kept so Undo can restore them; returns how many rows. */
  clearThread(threadId: string): Promise<number>;

  /**
   * Edits the question of the turn starting at row `turnId` (a user message): the turn and
   * everything after it are kept as one version of that turn, and the thread continues with a new
   * version holding just the question `text` (the host then asks the model). Applies only while
   * the thread ends at `expectedLastRowId`. Undo and Redo act on the version shown: the hidden
   * version keeps its Redo entries and gets them back when it is shown again; the new version
   * starts with none. Throws on empty (or blank) text.
   */
  editQuestion(threadId: string, turnId: number, text: string, expectedLastRowId: number): Promise<NewVersionResult>;
  /**
   * {@link editQuestion} with the same question: the answer and everything after it become the
   * other version, and the thread ends with a copy of the question for the host to answer again.
   */
  regenerate(threadId: string, turnId: number, expectedLastRowId: number): Promise<NewVersionResult>;
  /**
   * Shows another version of the turn starting at row `turnId`: in one transaction the shown
   * version (that turn and everything after it) is saved as its version and the chosen one's
   * rows take its place in the thread's session, each version with its own Redo entries. Applies
   * only while the thread ends at `expectedLastRowId`; a crash mid-way leaves one complete version.
   */
  switchVersion(threadId: string, turnId: number, target: VersionTarget, expectedLastRowId: number): Promise<SwitchVersionResult>;
  /** For the turns of a page (by turn id): those with several versions, with the one shown. One query. */
  versionsOf(threadId: string, turnIds: readonly number[]): Promise<Map<number, TurnVersions>>;
  /**
   * A new thread in the same workspace, titled `<title> (fork)`, whose history is the version
   * shown from the start through the whole turn `throughTurnId` (only that version: the fork has
   * no other versions). The original is untouched. Throws when `throughTurnId` is not a turn of the thread.
   */
  forkThread(threadId: string, throughTurnId: number): Promise<ThreadInfo>;

  /** The thread with every item exactly as stored (and its other versions), for an export file. */
  exportThread(threadId: string): Promise<ThreadRecord | undefined>;
  /**
   * Imports one thread in one transaction (a failure leaves nothing of it), idempotently: see
   * {@link ImportThreadResult}. A new thread goes to `workspaceKey`; a known one stays where it is.
   * Throws, changing nothing, when an item is not a JSON object.
   */
  importThread(record: ThreadRecord, workspaceKey: string): Promise<ImportThreadResult>;

  /** The Agents SDK's session contract for one thread, writing through this store. */
  session(threadId: string): Session;
  /** Called (at most about once a second) after another window or program changed the store. */
  onDidChange(listener: () => void): Unsubscribe;
  close(): Promise<void>;
}
