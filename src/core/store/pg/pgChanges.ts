import type pg from 'pg';
import type { PgDatabase } from './pgDatabase.ts';

/** The channel the triggers of pgSchema.ts notify on; the payload is the writer's backend pid. */
export const CHANGE_CHANNEL = 'session_chat_changed';
/** Notifications within this long are one change for the listeners (a burst of commits, one call). */
const COALESCE_MS = 50;
/** Longest pause before listening again after the connection dropped. */
const MAX_BACKOFF_MS = 10_000;

/**
 * Tells listeners when another connection (another window or machine, the SDK, a script)
 * committed a change, through `LISTEN` on one connection of its own: notifications sent by the
 * pool's own connections are ignored. Listens only while someone listens; reconnects with backoff
 * when the connection drops (a change missed meanwhile is reported once it is back).
 */
export class PgChangeListener {
  readonly #db: PgDatabase;
  readonly #listeners = new Set<() => void>();
  #client: pg.Client | undefined;
  #starting: Promise<void> | undefined;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #backoff = 250;
  #closed = false;

  constructor(db: PgDatabase) {
    this.#db = db;
  }

  add(listener: () => void): () => void {
    this.#listeners.add(listener);
    if (!this.#client && !this.#starting) this.#starting = this.#start();
    return () => {
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0) void this.#stop();
    };
  }

  /** Resolves once LISTEN is in place (or failed and a retry is scheduled). */
  ready(): Promise<void> {
    return this.#starting ?? Promise.resolve();
  }

  async #start(): Promise<void> {
    const client = this.#db.dedicatedClient();
    client.on('notification', (message) => {
      if (message.channel !== CHANGE_CHANNEL) return;
      const pid = Number(message.payload);
      if (Number.isFinite(pid) && this.#db.isOwnPid(pid)) return;
      this.#signal();
    });
    client.on('error', () => this.#lost(client));
    client.on('end', () => this.#lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGE_CHANNEL}`);
      if (this.#closed || this.#listeners.size === 0) {
        await client.end().catch(() => undefined);
        return;
      }
      const reconnected = this.#backoff > 250;
      this.#client = client;
      this.#backoff = 250;
      if (reconnected) this.#signal();
    } catch {
      await client.end().catch(() => undefined);
      this.#scheduleRetry();
    } finally {
      this.#starting = undefined;
    }
  }

  #lost(client: pg.Client): void {
    if (this.#client !== client) return;
    this.#client = undefined;
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#closed || this.#listeners.size === 0 || this.#retry) return;
    this.#backoff = Math.min(this.#backoff * 2, MAX_BACKOFF_MS);
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (!this.#client && !this.#starting && this.#listeners.size > 0) this.#starting = this.#start();
    }, this.#backoff);
    this.#retry.unref?.();
  }

  #signal(): void {
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      for (const listener of [...this.#listeners]) {
        try {
          listener();
        } catch {
          // A listener's failure is its own.
        }
      }
    }, COALESCE_MS);
  }

  async #stop(): Promise<void> {
    clearTimeout(this.#retry);
    this.#retry = undefined;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
    await this.#starting;
    await this.#stop();
  }
}
