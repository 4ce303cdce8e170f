/**
 * An idle timeout joined to the user's Stop signal. The client's own timeout only covers waiting
 * for the response headers; a stream that goes silent mid-answer would otherwise hang forever.
 */
export class IdleWatchdog {
  readonly #controller = new AbortController();
  readonly #timeoutMs: number;
  readonly #userSignal: AbortSignal;
  readonly #onUserAbort = (): void => this.#controller.abort(this.#userSignal.reason);
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timedOut = false;

  constructor(userSignal: AbortSignal, timeoutMs: number) {
    this.#userSignal = userSignal;
    this.#timeoutMs = timeoutMs;
    if (userSignal.aborted) this.#controller.abort(userSignal.reason);
    else userSignal.addEventListener('abort', this.#onUserAbort, { once: true });
    this.touch();
  }

  /** Aborted by Stop or by the idle timeout. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** True when the timeout, not the user, aborted the request. */
  get timedOut(): boolean {
    return this.#timedOut;
  }

  /** The server showed a sign of life: restart the countdown. */
  touch(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.#timedOut = true;
      this.#controller.abort(new Error('idle timeout'));
    }, this.#timeoutMs);
  }

  /** Nothing is expected from the server for a while (a tool call waits for the user): no countdown until the next `touch`. */
  pause(): void {
    clearTimeout(this.#timer);
  }

  dispose(): void {
    clearTimeout(this.#timer);
    this.#userSignal.removeEventListener('abort', this.#onUserAbort);
  }
}
