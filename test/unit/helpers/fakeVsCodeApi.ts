import type { WebviewMessage, WebviewState } from '../../../src/shared/protocol.ts';
import type { VsCodeApi } from '../../../src/webview/vscodeApi.ts';

/** The webview's `acquireVsCodeApi()` in a jsdom test: records what the page posts and saves. */
export class FakeVsCodeApi implements VsCodeApi {
  posted: WebviewMessage[] = [];
  state: WebviewState | undefined;
  postMessage(message: WebviewMessage): void {
    this.posted.push(message);
  }
  getState(): WebviewState | undefined {
    return this.state;
  }
  setState(state: WebviewState): void {
    this.state = state;
  }
}
