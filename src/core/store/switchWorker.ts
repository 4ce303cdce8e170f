// The worker thread that runs large version switches off the extension host's thread (see
// SqliteHistoryStore.switchVersion). It opens its own connection to the same file, with the same
// driver as the store (one SQLite library in the process, so the file's locks are tracked together),
// and the default busy timeout: waiting for the store's lock here blocks nobody. It answers one
// request at a time, in order, and stays alive for later switches until told to close.
import { parentPort, workerData } from 'node:worker_threads';
import type { DriverName } from '../session/sqliteDriver.ts';
import { ThreadStore } from '../threads/threadStore.ts';
import type { SwitchVersionResult, VersionTarget } from './historyStore.ts';

/** What the store gives the worker at start. */
export interface SwitchWorkerData {
  dbPath: string;
  driver: DriverName;
}

/** A request from the store. */
export type SwitchWorkerRequest =
  | { type: 'switch'; id: number; threadId: string; turnId: number; target: VersionTarget; expectedLastRowId: number }
  | { type: 'close' };

/** An answer to the store: `ready` (or `failed`) once at start, then one `result` or `error` per switch. */
export type SwitchWorkerReply =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'result'; id: number; result: SwitchVersionResult }
  | { type: 'error'; id: number; message: string; code?: string };

function describe(err: unknown): { message: string; code?: string } {
  const message = err instanceof Error ? err.message : String(err);
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { message, code } : { message };
}

if (parentPort) {
  const port = parentPort;
  const { dbPath, driver } = workerData as SwitchWorkerData;
  let store: ThreadStore | undefined;
  try {
    store = ThreadStore.open(dbPath, { driver });
    port.postMessage({ type: 'ready' } satisfies SwitchWorkerReply);
  } catch (err) {
    port.postMessage({ type: 'failed', message: describe(err).message } satisfies SwitchWorkerReply);
    port.close();
  }
  if (store) {
    const open = store;
    port.on('message', (request: SwitchWorkerRequest) => {
      if (request.type === 'close') {
        open.close();
        port.close();
        return;
      }
      try {
        const result = open.switchVersion(request.threadId, request.turnId, request.target, request.expectedLastRowId);
        port.postMessage({ type: 'result', id: request.id, result } satisfies SwitchWorkerReply);
      } catch (err) {
        port.postMessage({ type: 'error', id: request.id, ...describe(err) } satisfies SwitchWorkerReply);
      }
    });
  }
}
