import type { WebviewState } from '../shared/protocol.ts';
import type { VsCodeApi } from './vscodeApi.ts';

/** The webview's own state (draft, scroll, thread), written to VS Code at most once per frame. */
export interface StateSaver {
  readonly current: WebviewState;
  save(patch: Partial<WebviewState>): void;
}

export function createStateSaver(api: VsCodeApi, schedule: (callback: () => void) => void): StateSaver {
  let current: WebviewState = api.getState() ?? { draft: '', scrollFromBottom: 0 };
  let queued = false;
  return {
    get current() {
      return current;
    },
    save(patch) {
      current = { ...current, ...patch };
      if (queued) return;
      queued = true;
      // Scrolling fires many events a frame; VS Code only needs the last position.
      schedule(() => {
        queued = false;
        api.setState(current);
      });
    },
  };
}
