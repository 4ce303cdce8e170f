/** Anything that releases resources when disposed (the shape of `vscode.Disposable`). */
export interface Disposable {
  dispose(): void;
}

/**
 * Owns disposables and releases them together, newest first (so listeners go before the objects
 * they listen to). Adding to a disposed store disposes the newcomer at once, so nothing leaks when
 * an async step finishes after shutdown. A small copy of VS Code's own `DisposableStore` idea.
 */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposed = false;

  /** Takes ownership of `item` and returns it. */
  add<T extends Disposable>(item: T): T {
    if (this.disposed) item.dispose();
    else this.items.push(item);
    return item;
  }

  /** Disposes every item even if one throws; the first error is rethrown afterwards. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    let firstError: unknown;
    for (const item of this.items.splice(0).reverse()) {
      try {
        item.dispose();
      } catch (error) {
        firstError ??= error;
      }
    }
    if (firstError !== undefined) throw firstError;
  }
}

/** A disposable that runs `fn` once. */
export function toDisposable(fn: () => void): Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      fn();
    },
  };
}
