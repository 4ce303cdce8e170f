// Entry of the webview bundle: esbuild emits dist/webview.js and, from these imports, dist/webview.css.
import '@vscode/codicons/dist/codicon.css';
import '../../media/chat.css';
import type { HostMessage } from '../shared/protocol.ts';
import { createApp } from './app.ts';
import { getVsCodeApi } from './vscodeApi.ts';

const root = document.getElementById('app') ?? document.body;
const app = createApp({ root, win: window, api: getVsCodeApi() });

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data;
  // Only the host posts to this page, but a malformed message must not break the panel.
  if (typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string') {
    app.receive(data as HostMessage);
  }
});
