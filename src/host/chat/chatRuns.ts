import type { TurnResult } from '../../core/model/types.ts';

/** A request the host is answering. */
export interface ActiveRun {
  /** Request id from the webview (or made up for commands and the API). */
  readonly id: string;
  readonly threadId: string;
  /** Answer text forwarded to the surfaces so far (a batch may still wait), for surfaces that (re)load mid-stream. */
  text: string;
  readonly controller: AbortController;
  /** The agent answering, once the request is planned (absent: the default agent). */
  agent?: string;
  /** Settles when the run has ended and stored what it keeps. */
  done: Promise<TurnResult>;
}

/** The running requests, at most one per thread. */
export class RunRegistry {
  private readonly runs = new Map<string, ActiveRun>();

  /** The run of this thread, if one is going. */
  forThread(threadId: string): ActiveRun | undefined {
    return this.runs.get(threadId);
  }

  /** The run with this request id, if it is still going. */
  byId(id: string): ActiveRun | undefined {
    for (const run of this.runs.values()) if (run.id === id) return run;
    return undefined;
  }

  /**
   * Registers a run synchronously (so a second send in the same tick sees it) and starts `body`.
   * The run leaves the registry when `body` settles.
   */
  start(threadId: string, id: string, body: (run: ActiveRun) => Promise<TurnResult>): ActiveRun {
    const run: ActiveRun = { id, threadId, text: '', controller: new AbortController(), done: Promise.resolve(undefined as never) };
    this.runs.set(threadId, run);
    run.done = body(run).finally(() => {
      if (this.runs.get(threadId) === run) this.runs.delete(threadId);
    });
    return run;
  }

  /** Stops this thread's run, if any, and waits until it has stored its partial answer. */
  async stop(threadId: string): Promise<void> {
    const run = this.runs.get(threadId);
    if (!run) return;
    run.controller.abort();
    await run.done.catch(() => undefined);
  }

  /** Aborts every run (shutdown) and waits for them to settle. */
  async stopAll(): Promise<void> {
    await Promise.all([...this.runs.keys()].map((threadId) => this.stop(threadId)));
  }
}
