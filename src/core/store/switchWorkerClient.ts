import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { SwitchVersionResult, VersionTarget } from './historyStore.ts';
import type { SwitchWorkerData, SwitchWorkerReply, SwitchWorkerRequest } from './switchWorker.ts';

/**
 * Where the switch worker is: `switchWorker.js` beside this module's file when it exists (the
 * bundle: dist/extension.js and dist/switchWorker.js), else `switchWorker.ts` beside the source
 * (tests and scripts run the TypeScript sources directly). undefined when neither is there.
 */
export function defaultSwitchWorkerPath(): string | undefined {
  let here: string;
  try {
    here = dirname(fileURLToPath(import.meta.url));
  } catch {
    return undefined;
  }
  for (const name of ['switchWorker.js', 'switchWorker.ts']) {
    const candidate = join(here, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Raised when the worker went away with a switch unanswered; the caller runs the switch itself. */
export class SwitchWorkerGone extends Error {}

/**
 * The store's side of the switch worker: one worker thread with its own connection, answering
 * switches in order. It keeps the process alive only while a switch is pending (`unref` otherwise).
 */
export class SwitchWorkerClient {
  readonly #worker: Worker;
  readonly #pending = new Map<number, { resolve: (result: SwitchVersionResult) => void; reject: (err: Error) => void }>();
  #nextId = 1;
  #gone: Error | undefined;
  readonly #exited: Promise<void>;

  private constructor(worker: Worker) {
    this.#worker = worker;
    this.#exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    worker.on('message', (reply: SwitchWorkerReply) => {
      if (reply.type !== 'result' && reply.type !== 'error') return;
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      this.#pending.delete(reply.id);
      this.#updateRef();
      if (reply.type === 'result') pending.resolve(reply.result);
      else pending.reject(Object.assign(new Error(reply.message), reply.code === undefined ? {} : { code: reply.code }));
    });
    worker.on('error', (err) => this.#fail(err));
    worker.on('exit', (code) => this.#fail(new SwitchWorkerGone(`the switch worker exited (code ${code})`)));
  }

  /**
   * Starts the worker at `path` on `data.dbPath` and waits until its connection is open. Rejects
   * when it cannot start: no worker threads, the file missing, or the driver not loading there.
   */
  static async start(path: string, data: SwitchWorkerData): Promise<SwitchWorkerClient> {
    const worker = new Worker(path, { workerData: data, stdout: false, stderr: false });
    try {
      await new Promise<void>((resolve, reject) => {
        const onMessage = (reply: SwitchWorkerReply) => {
          if (reply.type === 'ready') done(resolve);
          else if (reply.type === 'failed') done(() => reject(new Error(reply.message)));
        };
        const onError = (err: Error) => done(() => reject(err));
        const onExit = (code: number) => done(() => reject(new Error(`the switch worker exited at start (code ${code})`)));
        const done = (then: () => void) => {
          worker.off('message', onMessage);
          worker.off('error', onError);
          worker.off('exit', onExit);
          then();
        };
        worker.on('message', onMessage);
        worker.on('error', onError);
        worker.on('exit', onExit);
      });
    } catch (err) {
      void worker.terminate();
      throw err;
    }
    const client = new SwitchWorkerClient(worker);
    client.#updateRef();
    return client;
  }

  /** False once the worker has gone (exited, crashed, closed). */
  get alive(): boolean {
    return this.#gone === undefined;
  }

  /** Runs `ThreadStore.switchVersion` in the worker; rejects with its error, or {@link SwitchWorkerGone}. */
  switchVersion(threadId: string, turnId: number, target: VersionTarget, expectedLastRowId: number): Promise<SwitchVersionResult> {
    if (this.#gone) return Promise.reject(new SwitchWorkerGone(this.#gone.message));
    const id = this.#nextId++;
    return new Promise<SwitchVersionResult>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#updateRef();
      this.#worker.postMessage({ type: 'switch', id, threadId, turnId, target, expectedLastRowId } satisfies SwitchWorkerRequest);
    });
  }

  /**
   * Lets the worker finish the switches it has, close its connection and exit (terminated if it
   * does not within `graceMs`).
   */
  async close(graceMs = 5_000): Promise<void> {
    if (!this.#gone) {
      this.#worker.postMessage({ type: 'close' } satisfies SwitchWorkerRequest);
      this.#worker.ref();
      const timer = setTimeout(() => void this.#worker.terminate(), graceMs);
      await this.#exited;
      clearTimeout(timer);
    }
    await this.#exited;
  }

  #updateRef(): void {
    if (this.#gone) return;
    if (this.#pending.size > 0) this.#worker.ref();
    else this.#worker.unref();
  }

  #fail(err: Error): void {
    this.#gone ??= err instanceof SwitchWorkerGone ? err : new SwitchWorkerGone(err.message);
    for (const { reject } of this.#pending.values()) reject(new SwitchWorkerGone(this.#gone.message));
    this.#pending.clear();
  }
}
