import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import type { HostMessage, WebviewState } from '../../../src/shared/protocol.ts';
import { createApp, type AppOptions } from '../../../src/webview/app.ts';
import { FakeVsCodeApi } from './fakeVsCodeApi.ts';

/**
 * The webview app in jsdom, as the panel runs it: a fake VS Code API (with `state` restored, as
 * after a reload), rendering synchronously, request ids `req1`, `req2`, ... `prepare` runs on the
 * window before the app starts (e.g. to stub what jsdom lacks).
 */
export function startWebview(options: { state?: WebviewState; prepare?: (window: JSDOM['window']) => void } & Pick<AppOptions, 'findDelayMs'> = {}) {
  const { window } = new JSDOM('<!doctype html><body><div id="app"></div></body>');
  options.prepare?.(window);
  const api = new FakeVsCodeApi();
  api.state = options.state;
  const root = window.document.getElementById('app');
  assert.ok(root);
  let ids = 0;
  const app = createApp({
    root,
    win: window as unknown as Window,
    api,
    schedule: (callback) => callback(),
    newId: () => `req${++ids}`,
    ...(options.findDelayMs !== undefined ? { findDelayMs: options.findDelayMs } : {}),
  });
  const send = (...messages: HostMessage[]): void => messages.forEach((message) => app.receive(message));
  return { window, api, root, app, send };
}
