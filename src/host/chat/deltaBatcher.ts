// No `vscode` here: bench/streamBench.ts drives this very forwarding with the real runner on plain Node.

/** One frame at 60 Hz: the webview cannot show text faster than it paints. */
export const FRAME_MS = 16;

/**
 * Forwards a stream's deltas at most once a frame. Each `postMessage` to a webview is a serialized
 * message to another process, and the webview renders on each one: a fast model sends a delta every
 * few milliseconds, so forwarding each one costs the extension host far more than the text is worth.
 * The first delta goes out at once (no added latency before the answer starts); deltas arriving
 * within a frame of the last message are joined and sent when that frame ends.
 */
export class DeltaBatcher {
  readonly #send: (text: string) => void;
  readonly #frameMs: number;
  #pending = '';
  #timer: ReturnType<typeof setTimeout> | undefined;
  #lastSent = -Infinity;

  /** `frameMs` 0 forwards every delta as it comes (what the host did before; the bench compares both). */
  constructor(send: (text: string) => void, frameMs: number = FRAME_MS) {
    this.#send = send;
    this.#frameMs = frameMs;
  }

  push(delta: string): void {
    if (delta === '') return;
    this.#pending += delta;
    if (this.#timer !== undefined) return;
    const wait = this.#lastSent + this.#frameMs - performance.now();
    if (wait <= 0) this.flush();
    else this.#timer = setTimeout(() => this.flush(), wait);
  }

  /** Sends what is waiting now; called before the stream's end is announced, so no text comes after it. */
  flush(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending === '') return;
    const text = this.#pending;
    this.#pending = '';
    this.#lastSent = performance.now();
    this.#send(text);
  }
}
