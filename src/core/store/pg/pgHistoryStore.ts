import { createHash, randomUUID } from 'node:crypto';
import type { Item, Session } from '../../session/session.ts';
import { DEFAULT_TITLE } from '../../threads/adoption.ts';
import { ThreadSession } from '../../threads/threadSession.ts';
import type { ThreadRecord } from '../../transfer/threadRecord.ts';
import type {
  HistoryEditResult,
  ImportThreadResult,
  HistoryStore,
  HistoryTransaction,
  ItemPage,
  NewVersionResult,
  SearchHit,
  SearchIndexStatus,
  SearchOptions,
  StoredItem,
  SwitchVersionResult,
  ThreadInfo,
  ThreadView,
  TransactionResult,
  TurnVersions,
  Unsubscribe,
  VersionTarget,
} from '../historyStore.ts';
import { copyAnswers, forgetAnswers, healAnswers, lastRowAndUsage, recordAnswer } from './pgAnswers.ts';
import * as catalogue from './pgCatalogue.ts';
import { PgChangeListener } from './pgChanges.ts';
import { describeConnection } from './pgConnection.ts';
import { PgDatabase } from './pgDatabase.ts';
import type { PgConnectOptions, Sql } from './pgDatabase.ts';
import * as rows from './pgRows.ts';
import { migratePg } from './pgSchema.ts';
import * as transfer from './pgTransfer.ts';
import * as searchIndex from './pgSearch.ts';
import * as undo from './pgUndo.ts';
import * as edits from './pgVersionEdits.ts';
import { deleteVersions, detach, versionsOf } from './pgVersionTable.ts';

/** The oldest PostgreSQL the schema and queries run on (`IS JSON` came with 16). */
export const MIN_SERVER_VERSION = 160000;

/** Refuses an older server with words that say what is needed, instead of a syntax error later. */
async function requireVersion(db: PgDatabase): Promise<void> {
  const result = await db.query('SHOW server_version_num');
  const version = Number((result.rows[0] as { server_version_num?: string } | undefined)?.server_version_num);
  if (Number.isFinite(version) && version < MIN_SERVER_VERSION) {
    const shown = `${Math.floor(version / 10000)}.${version % 100}`;
    throw Object.assign(new Error(`Session Chat needs PostgreSQL 16 or newer; this server runs ${shown}`), { code: 'SC001' });
  }
}

/**
 * The {@link HistoryStore} on a PostgreSQL database shared by every window and machine, and by any
 * program using the Agents SDK's `SQLAlchemySession` on the same tables (see pgSchema.ts). Each
 * call is one transaction on a pooled connection; calls that depend on how a thread ends lock it
 * first (pgRows.ts `lockThread`), so two clients writing one thread take turns.
 */
export class PgHistoryStore implements HistoryStore {
  readonly description: string;
  /** Where the database is (host, port, database; no user or password): for the status bar. */
  readonly where: string;
  readonly #db: PgDatabase;
  readonly #changes: PgChangeListener;
  #lastTime = 0;

  private constructor(db: PgDatabase, where: string) {
    this.#db = db;
    this.where = where;
    this.description = `PostgreSQL at ${where}`;
    this.#changes = new PgChangeListener(db);
  }

  /** Connects, creates or migrates the tables, adopts sessions the SDK wrote. Rejects when the server cannot be used. */
  static async open(options: PgConnectOptions): Promise<PgHistoryStore> {
    const db = new PgDatabase(options);
    try {
      await requireVersion(db);
      await db.tx((sql) => migratePg(sql));
      await db.tx((sql) => catalogue.adoptAll(sql));
    } catch (err) {
      await db.close().catch(() => undefined);
      throw err;
    }
    return new PgHistoryStore(db, describeConnection(options.connectionString));
  }

  /** One round trip to the server: resolves when it answers, rejects when it cannot be reached. */
  async ping(): Promise<void> {
    await this.#db.query('SELECT 1');
  }

  /** Epoch ms, strictly increasing within this process, so "newest first" follows activity. */
  #nextTime(): number {
    this.#lastTime = Math.max(Date.now(), this.#lastTime + 1);
    return this.#lastTime;
  }

  /** Bookkeeping of any change other than Undo/Redo: the stack goes, the thread moves up the list. */
  readonly #changed = async (sql: Sql, threadId: string): Promise<void> => {
    // Items for a thread the catalogue does not know (an SDK run with a fresh id) adopt it.
    if (!(await catalogue.touchThread(sql, threadId, this.#nextTime()))) await catalogue.adoptAll(sql);
  };

  async listThreads(workspaceKey?: string): Promise<ThreadInfo[]> {
    return this.#db.tx(async (sql) => {
      await catalogue.adoptAll(sql);
      return catalogue.listThreads(sql, workspaceKey);
    });
  }

  getThread(threadId: string): Promise<ThreadInfo | undefined> {
    return catalogue.getThread(this.#sql, threadId);
  }

  async createThread(workspaceKey: string, title?: string): Promise<ThreadInfo> {
    const now = this.#nextTime();
    const thread: ThreadInfo = { id: randomUUID(), workspaceKey, title: title?.trim() || DEFAULT_TITLE, createdAt: now, updatedAt: now, pinned: false };
    await this.#db.tx((sql) => catalogue.insertThread(sql, thread));
    return thread;
  }

  async renameThread(threadId: string, title: string): Promise<ThreadInfo> {
    const name = title.trim();
    if (name === '') throw new Error('A thread title cannot be empty.');
    return catalogue.updateThread(this.#sql, threadId, 'title', name);
  }

  deleteThread(threadId: string): Promise<void> {
    return this.#db.tx((sql) => catalogue.deleteThreadRows(sql, threadId));
  }

  currentThreadId(workspaceKey: string): Promise<string | undefined> {
    return catalogue.currentThreadId(this.#sql, workspaceKey);
  }

  setCurrentThread(workspaceKey: string, threadId: string): Promise<void> {
    return catalogue.setCurrentThread(this.#sql, workspaceKey, threadId);
  }

  previews(threadIds: readonly string[]): Promise<Map<string, string>> {
    return catalogue.previews(this.#sql, threadIds);
  }

  setPinned(threadId: string, pinned: boolean): Promise<ThreadInfo> {
    return catalogue.updateThread(this.#sql, threadId, 'pinned', pinned);
  }

  /** One statement on any pooled connection, outside a transaction. */
  readonly #sql: Sql = (text, params) => this.#db.query(text, params);

  /** Indexes what is queued (a few thousand rows at most) before a search; more is left to {@link indexPending}. */
  async #catchUp(): Promise<void> {
    await this.#db.tx((sql) => searchIndex.catchUp(sql, searchIndex.PG_CATCH_UP_AT_SEARCH));
  }

  async search(query: string, options?: SearchOptions): Promise<SearchHit[]> {
    await this.#db.tx((sql) => catalogue.adoptAll(sql));
    await this.#catchUp();
    return searchIndex.search(this.#sql, query, options);
  }

  async findInThread(threadId: string, query: string): Promise<number[]> {
    await this.#catchUp();
    return searchIndex.findInThread(this.#sql, threadId, query);
  }

  searchIndexStatus(): Promise<SearchIndexStatus> {
    return searchIndex.indexStatus(this.#sql);
  }

  async indexPending(maxRows: number): Promise<number> {
    await this.#db.tx((sql) => searchIndex.catchUp(sql, maxRows));
    return searchIndex.pendingRows(this.#sql);
  }

  getItems(threadId: string, limit?: number): Promise<Item[]> {
    return limit === undefined ? rows.allItems(this.#sql, threadId) : rows.latestItems(this.#sql, threadId, limit);
  }

  lastItem(threadId: string): Promise<StoredItem | undefined> {
    return rows.lastItem(this.#sql, threadId);
  }

  hasTurns(threadId: string): Promise<boolean> {
    return rows.hasTurns(this.#sql, threadId);
  }

  readView(threadId: string, pageSize: number): Promise<ThreadView> {
    return this.#db.read(async (sql) => {
      const thread = await catalogue.getThread(sql, threadId);
      const page = await rows.page(sql, threadId, pageSize);
      const { lastRowId, usage } = await lastRowAndUsage(sql, threadId);
      return { thread, page, lastRowId, ...(await undo.undoState(sql, threadId)), ...(usage ? { usage } : {}) };
    });
  }

  pageBefore(threadId: string, beforeTurnId: number, pageSize: number): Promise<ItemPage> {
    return this.#db.read((sql) => rows.page(sql, threadId, pageSize, beforeTurnId));
  }

  async appendItems(threadId: string, items: Item[]): Promise<number> {
    if (items.length === 0) return rows.lastRowId(this.#sql, threadId);
    const data = items.map((item) => JSON.stringify(item));
    return this.#locked(threadId, async (sql) => {
      const last = await rows.appendRows(sql, threadId, data);
      await this.#changed(sql, threadId);
      return last!;
    });
  }

  async applyTransaction(transaction: HistoryTransaction): Promise<TransactionResult> {
    const { operationId, threadId, expectedLastRowId, replaceFromRowId } = transaction;
    if (operationId === '') throw new Error('A history transaction needs an operation id.');
    if (replaceFromRowId !== undefined && replaceFromRowId > expectedLastRowId) throw new Error('The suffix to replace starts after the expected end.');
    const data = transaction.replacement.map((item) => JSON.stringify(item));
    const digest = createHash('sha256').update(JSON.stringify([threadId, expectedLastRowId, replaceFromRowId ?? null, data])).digest('hex');
    return this.#db.tx(async (sql): Promise<TransactionResult> => {
      await rows.lockThread(sql, threadId);
      const done = await sql('SELECT digest FROM session_chat_operations WHERE operation_id = $1', [operationId]);
      if (done.rows[0]) {
        if (done.rows[0].digest !== digest) throw new Error(`Operation ${operationId} was already used for a different change.`);
        return { status: 'duplicate', lastRowId: await rows.lastRowId(sql, threadId) };
      }
      const last = await rows.lastRowId(sql, threadId);
      if (last !== expectedLastRowId) return { status: 'conflict', lastRowId: last };
      if (replaceFromRowId !== undefined) {
        // Groups anchored in the replaced rows lose the rows their key names.
        await detach(sql, threadId, replaceFromRowId);
        await forgetAnswers(sql, threadId, replaceFromRowId);
        await rows.deleteFrom(sql, threadId, replaceFromRowId);
      }
      const appended = (await rows.appendRows(sql, threadId, data)) ?? (await rows.lastRowId(sql, threadId));
      await this.#changed(sql, threadId);
      await sql(
        'INSERT INTO session_chat_operations (operation_id, thread_id, digest, last_row_id, created_at) ' +
          'SELECT $1, $2::varchar, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM session_chat_threads WHERE id = $2::varchar)',
        [operationId, threadId, digest, appended, Date.now()],
      );
      // The answer is named by the last row written: the answer's last item.
      if (transaction.answer && data.length > 0) {
        await healAnswers(sql, threadId);
        await recordAnswer(sql, threadId, appended, data.at(-1)!, transaction.answer, Date.now());
      }
      return { status: 'applied', lastRowId: appended };
    });
  }

  /** `work` on a transaction that holds the thread's lock. */
  #locked<T>(threadId: string, work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.#db.tx(async (sql) => {
      await rows.lockThread(sql, threadId);
      return work(sql);
    });
  }

  undoTurn(threadId: string): Promise<HistoryEditResult> {
    return this.#locked(threadId, (sql) => undo.undoTurn(sql, threadId));
  }

  redoTurn(threadId: string): Promise<HistoryEditResult> {
    return this.#locked(threadId, (sql) => undo.restoreNewest(sql, threadId, 'turn'));
  }

  undoClear(threadId: string): Promise<HistoryEditResult> {
    return this.#locked(threadId, (sql) => undo.restoreNewest(sql, threadId, 'clear'));
  }

  clearThread(threadId: string): Promise<number> {
    return this.#locked(threadId, (sql) => undo.clearThread(sql, threadId));
  }

  async editQuestion(threadId: string, turnId: number, text: string, expectedLastRowId: number): Promise<NewVersionResult> {
    if (text.trim() === '') throw new Error('An edited question cannot be empty.');
    return this.#db.tx((sql) => edits.editQuestion(sql, threadId, turnId, text, expectedLastRowId, this.#changed));
  }

  regenerate(threadId: string, turnId: number, expectedLastRowId: number): Promise<NewVersionResult> {
    return this.#db.tx((sql) => edits.regenerate(sql, threadId, turnId, expectedLastRowId, this.#changed));
  }

  switchVersion(threadId: string, turnId: number, target: VersionTarget, expectedLastRowId: number): Promise<SwitchVersionResult> {
    return this.#db.tx((sql) => edits.switchVersion(sql, threadId, turnId, target, expectedLastRowId, this.#changed));
  }

  versionsOf(threadId: string, turnIds: readonly number[]): Promise<Map<number, TurnVersions>> {
    return versionsOf(this.#sql, threadId, turnIds);
  }

  async forkThread(threadId: string, throughTurnId: number): Promise<ThreadInfo> {
    return this.#db.tx(async (sql) => {
      const source = await catalogue.getThread(sql, threadId);
      if (!source) throw new Error(`No thread ${threadId}.`);
      if ((await rows.turnStartText(sql, threadId, throughTurnId)) === undefined) throw new Error(`Row ${throughTurnId} does not start a turn of thread ${threadId}.`);
      const end = (await rows.nextTurnStart(sql, threadId, throughTurnId)) ?? 2_147_483_647;
      const now = this.#nextTime();
      const fork: ThreadInfo = { id: randomUUID(), workspaceKey: source.workspaceKey, title: `${source.title} (fork)`, createdAt: now, updatedAt: now, pinned: false };
      await catalogue.insertThread(sql, fork);
      await sql(
        'INSERT INTO agent_messages (session_id, message_data, created_at) SELECT $1, m.message_data, t.at FROM (SELECT clock_timestamp() AS at) AS t, agent_messages m ' +
          'WHERE m.session_id = $2 AND m.id < $3 ORDER BY m.id',
        [fork.id, threadId, end],
      );
      await copyAnswers(sql, threadId, end, fork.id);
      return fork;
    });
  }

  exportThread(threadId: string): Promise<ThreadRecord | undefined> {
    return this.#db.read((sql) => transfer.exportThread(sql, threadId));
  }

  importThread(record: ThreadRecord, workspaceKey: string): Promise<ImportThreadResult> {
    return this.#locked(record.id, (sql) =>
      transfer.importThread(sql, record, workspaceKey, {
        appendChange: async (tx, threadId, data) => {
          await rows.appendRows(tx, threadId, data);
          await this.#changed(tx, threadId);
        },
        now: () => this.#nextTime(),
      }),
    );
  }

  session(threadId: string): Session {
    return new ThreadSession(threadId, {
      getItems: (id, limit) => this.getItems(id, limit),
      addItems: (id, items) => this.appendItems(id, items),
      popItem: (id) => this.#db.tx((sql) => rows.popItem(sql, id, (tx, rowId) => forgetAnswers(tx, id, rowId, rowId))),
      // The SDK's clear_session: every item goes for good (not undoable), with the stack and the versions.
      clearItems: (id) =>
        this.#locked(id, async (sql) => {
          await undo.dropUndo(sql, id);
          await deleteVersions(sql, id);
          await forgetAnswers(sql, id, 0);
          await rows.deleteFrom(sql, id, 0);
        }),
    });
  }

  /** Called (at most about once a second) after another connection committed a change; see {@link PgChangeListener}. */
  onDidChange(listener: () => void): Unsubscribe {
    return this.#changes.add(listener);
  }

  async close(): Promise<void> {
    await this.#changes.close();
    await this.#db.close();
  }
}
