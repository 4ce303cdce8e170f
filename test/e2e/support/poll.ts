// Conditions, not sleeps: every wait in the suite polls something a user could see.
import { setTimeout as delay } from 'node:timers/promises';

/** How long and how often to poll, and what to say when the condition never held. */
export interface PollOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** Describes the awaited condition in the failure message. */
  message: string;
}

/**
 * Calls `probe` until it returns a value other than `undefined`/`false` and returns that value.
 * A probe that throws counts as "not yet" (elements come and go while the workbench loads);
 * the last error is quoted if the wait times out.
 */
export async function pollUntil<T>(probe: () => Promise<T | undefined | false> | T | undefined | false, options: PollOptions): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const intervalMs = options.intervalMs ?? 250;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError instanceof Error ? ` (last error: ${lastError.message.split('\n')[0]})` : '';
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${options.message}${cause}`);
    }
    await delay(intervalMs);
  }
}

/** Prints how long each step of a slow scenario took, so a slow run shows where the time went. */
export function stepTimer(scenario: string): (step: string) => void {
  let last = Date.now();
  return (step) => {
    const now = Date.now();
    console.log(`[e2e]   ${scenario}: ${step} (+${((now - last) / 1000).toFixed(1)} s)`);
    last = now;
  };
}
