import pg from 'pg';
import { driverConnectionString } from './pgConnection.ts';

/** One parameterised statement on the connection of the transaction at hand. */
export type Sql = (text: string, params?: readonly unknown[]) => Promise<pg.QueryResult>;

/** How a {@link PgDatabase} connects. */
export interface PgConnectOptions {
  /** `postgresql://user:password@host:port/database?sslmode=…`; never logged or shown. */
  connectionString: string;
  /** Longest a statement may run before the server cancels it (default 15 s). */
  statementTimeoutMs?: number;
  /** Connections kept at most (default 4). */
  poolSize?: number;
  /** Longest to wait for a connection (default 10 s). */
  connectTimeoutMs?: number;
}

/** SQLSTATEs after which a transaction is safely tried again: serialization failure, deadlock. */
const RETRYABLE = new Set(['40001', '40P01']);
const ATTEMPTS = 5;

function sqlState(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/**
 * A pool of connections to one PostgreSQL database, with transactions as functions: each call
 * takes one connection, runs BEGIN … COMMIT around the work (ROLLBACK when it throws) and gives
 * the connection back. Every statement is parameterised and bounded by `statement_timeout`.
 * The pool remembers its connections' backend pids, so change notifications caused by its own
 * writes can be told apart from other writers'.
 */
export class PgDatabase {
  readonly pool: pg.Pool;
  readonly #pids = new Set<number>();
  readonly #options: PgConnectOptions;

  constructor(options: PgConnectOptions) {
    this.#options = options;
    this.pool = new pg.Pool({
      connectionString: driverConnectionString(options.connectionString),
      max: options.poolSize ?? 4,
      statement_timeout: options.statementTimeoutMs ?? 15_000,
      // A transaction left open by a crashed caller must not hold its row locks for long.
      idle_in_transaction_session_timeout: 60_000,
      connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
      application_name: 'session-chat',
    });
    this.pool.on('connect', (client) => {
      const pid = (client as unknown as { processID?: number }).processID;
      if (typeof pid === 'number') this.#pids.add(pid);
    });
    this.pool.on('remove', (client) => {
      const pid = (client as unknown as { processID?: number }).processID;
      if (typeof pid === 'number') this.#pids.delete(pid);
    });
    // An idle connection the server dropped: the pool replaces it; the next call reports real trouble.
    this.pool.on('error', () => undefined);
  }

  /** A client outside the pool, for LISTEN (it must stay on one connection). */
  dedicatedClient(): pg.Client {
    return new pg.Client({
      connectionString: driverConnectionString(this.#options.connectionString),
      application_name: 'session-chat-listen',
      connectionTimeoutMillis: this.#options.connectTimeoutMs ?? 10_000,
    });
  }

  /** True when `pid` is one of this pool's connections. */
  isOwnPid(pid: number): boolean {
    return this.#pids.has(pid);
  }

  /** One statement outside a transaction (autocommit). */
  async query(text: string, params?: readonly unknown[]): Promise<pg.QueryResult> {
    return this.pool.query(text, params as unknown[] | undefined);
  }

  /** `work` in one read-write transaction; retried whole after a deadlock or serialization failure. */
  tx<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.#transaction('BEGIN', work);
  }

  /** `work` in one read-only transaction that sees one snapshot of the database. */
  read<T>(work: (sql: Sql) => Promise<T>): Promise<T> {
    return this.#transaction('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', work);
  }

  async #transaction<T>(begin: string, work: (sql: Sql) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const client = await this.pool.connect();
      let broken: Error | undefined;
      try {
        await client.query(begin);
        const sql: Sql = (text, params) => client.query(text, params as unknown[] | undefined);
        const result = await work(sql);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollbackError) {
          // The connection is gone or unusable: the pool must not hand it out again.
          broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
        }
        if (attempt < ATTEMPTS && RETRYABLE.has(sqlState(err) ?? '')) continue;
        throw err;
      } finally {
        client.release(broken);
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
