// Entry of the webview bundle: esbuild emits dist/webview.js and, from these imports, dist/webview.css.
import '@vscode/codicons/dist/codicon.css';
import '../../media/chat.css';
import './setupCard.css';
import './agentsUsage.css';
import type { HostMessage } from '../shared/protocol.ts';
import { createApp } from './app.ts';
import { getVsCodeApi } from './vscodeApi.ts';

const root = document.getElementById('app') ?? document.body;
const app = createApp({ root, win: window, api: getVsCodeApi() });

/** Every host message type; the Record makes the compiler say when the protocol gains or loses one. */
const hostMessageTypes: Record<HostMessage['type'], true> = {
  'thread/snapshot': true,
  reply: true,
  'chat/delta': true,
  'chat/done': true,
  'chat/error': true,
  'ui/focusInput': true,
  'thread/reveal': true,
  'ui/openFind': true,
};

// Only the host posts to this page, built from the same protocol schemas, so its messages are not
// validated field by field here (that would put zod in this bundle and a parse on every delta);
// something else posting to the page must still not break the panel.
window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const data = event.data;
  const type = typeof data === 'object' && data !== null ? (data as { type?: unknown }).type : undefined;
  if (typeof type === 'string' && Object.hasOwn(hostMessageTypes, type)) app.receive(data as HostMessage);
});
