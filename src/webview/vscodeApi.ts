import type { WebviewMessage, WebviewState } from '../shared/protocol.ts';

/** The slice of the webview API the chat uses; tests pass a hand-written fake. */
export interface VsCodeApi {
  postMessage(message: WebviewMessage): void;
  getState(): WebviewState | undefined;
  setState(state: WebviewState): void;
}

interface RawVsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): RawVsCodeApi;

let cached: VsCodeApi | undefined;

/** VS Code allows `acquireVsCodeApi()` only once per page, so the result is kept. */
export function getVsCodeApi(): VsCodeApi {
  if (cached) return cached;
  const raw = acquireVsCodeApi();
  cached = {
    postMessage: (message) => raw.postMessage(message),
    getState: () => parseState(raw.getState()),
    setState: (state) => raw.setState(state),
  };
  return cached;
}

/** Saved state may come from an older build of the webview; keep only fields of the right type. */
export function parseState(value: unknown): WebviewState | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  return {
    draft: typeof record.draft === 'string' ? record.draft : '',
    scrollFromBottom: typeof record.scrollFromBottom === 'number' && record.scrollFromBottom >= 0 ? record.scrollFromBottom : 0,
    threadId: typeof record.threadId === 'string' ? record.threadId : undefined,
  };
}
