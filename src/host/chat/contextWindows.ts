import type * as vscode from 'vscode';
import type { ModelSource } from '../../core/model/modelSource.ts';

/** One cache entry per source, server and model (a VS Code model is the same whatever the server). */
function keyOf(kind: string, baseUrl: string, model: string): string {
  return `${kind}\n${kind === 'vscode' ? '' : baseUrl}\n${model}`;
}

/** How long a window (or "the source does not say") is trusted before asking again. */
const KEEP_MS = 10 * 60_000;

interface Known {
  window: number | undefined;
  at: number;
}

/**
 * The context windows the sources report, per source, server and model. A lookup (a `/models`
 * request, a `vscode.lm` query) never holds up a snapshot: the first one starts it and the meter
 * shows an assumed window meanwhile; `found` refreshes it when the answer is in.
 */
export class ContextWindows {
  readonly #known = new Map<string, Known>();
  readonly #asking = new Set<string>();
  readonly #log: vscode.LogOutputChannel;
  readonly #found: () => void;

  constructor(log: vscode.LogOutputChannel, found: () => void) {
    this.#log = log;
    this.#found = found;
  }

  /** The window if it was looked up lately (`looked` false: look it up with {@link get}). */
  peek(kind: string, baseUrl: string, model: string): { looked: boolean; window: number | undefined } {
    const known = this.#known.get(keyOf(kind, baseUrl, model));
    return known && Date.now() - known.at < KEEP_MS ? { looked: true, window: known.window } : { looked: false, window: undefined };
  }

  /** The window if known now; otherwise undefined, and a lookup starts. */
  get(kind: string, baseUrl: string, model: string, source: ModelSource): number | undefined {
    const key = keyOf(kind, baseUrl, model);
    const known = this.#known.get(key);
    if (known && Date.now() - known.at < KEEP_MS) return known.window;
    if (!this.#asking.has(key) && source.contextWindow) {
      this.#asking.add(key);
      source
        .contextWindow(model, AbortSignal.timeout(10_000))
        .then(
          (window) => {
            this.#known.set(key, { window, at: Date.now() });
            if (window !== undefined && window !== known?.window) this.#found();
          },
          (error: unknown) => {
            this.#known.set(key, { window: undefined, at: Date.now() });
            this.#log.info(`The context window of ${model} is not known (${error instanceof Error ? error.message : String(error)}); assuming one.`);
          },
        )
        .finally(() => this.#asking.delete(key));
    }
    return known?.window;
  }
}
