import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SessionChatApi } from '../../src/host/api.ts';
import { startTestModelServer, type TestModelServer } from '../fixtures/testModelServer.ts';
import { activateApi, command, openChat, panelShows } from './support/extension.ts';
import { testServerUrl } from './support/harnessEnv.ts';
import { allLogs, logWrittenSince, markLogs } from './support/logFiles.ts';
import { modelRequests, resetModelServer } from './support/modelServer.ts';
import { waitFor } from './support/waitFor.ts';

const Workspace = vscode.ConfigurationTarget.Workspace;

/** Sets the base URL as a workspace's `.vscode/settings.json` would (undefined removes it). */
async function setWorkspaceBaseUrl(url: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('sessionChat').update('baseUrl', url, Workspace);
}

function harnessServerPort(): string {
  const url = testServerUrl();
  if (!url) throw new Error('SESSION_CHAT_TEST_SERVER is not set: the harness must start the test model server');
  return new URL(url).port;
}

describe('secrets', () => {
  let api: SessionChatApi;

  before(async () => {
    api = await activateApi();
    await openChat(api);
  });

  beforeEach(async () => {
    await command('newThread', { title: 'Secrets' });
  });

  afterEach(async () => {
    await setWorkspaceBaseUrl(undefined);
  });

  it('a base URL with a user name, password or query secret fails clearly and none of it reaches the panel or the log', async () => {
    await resetModelServer();
    const mark = markLogs();
    await setWorkspaceBaseUrl(`http://user:pw@127.0.0.1:${harnessServerPort()}/v1?key=abc`);
    const result = await api.send('hello with secrets in the URL');
    assert.equal(result.status, 'failed');
    assert.equal(result.status === 'failed' && result.error.kind, 'invalidUrl');
    const snapshot = await panelShows(api, (s) => s.thread.id === api.currentThreadId() && s.error !== undefined, 'the error under the message');
    const message = snapshot.error?.message ?? '';
    assert.match(message, /contains a user name or password/);
    assert.ok(snapshot.error?.actions.includes('setApiKey'), `offers Set API Key: ${JSON.stringify(snapshot.error)}`);
    for (const secret of ['pw', 'user:', 'key=abc']) assert.ok(!message.includes(secret), `the panel shows ${secret}: ${message}`);
    assert.deepEqual(await modelRequests(), [], 'no request left for the server');

    // The log channel writes its file a moment later: wait for this request's failure line.
    let written = '';
    await waitFor(() => {
      written = logWrittenSince(mark);
      return written.includes('invalidUrl');
    }, 'the failed request in the Session Chat log');
    assert.match(written, /at http:\/\/127\.0\.0\.1:\d+\/v1\b/, `the log names the server without its secrets:\n${written}`);
    for (const secret of ['pw', 'user:', 'key=abc']) assert.ok(!written.includes(secret), `the log shows ${secret}:\n${written}`);
    const everything = allLogs();
    for (const secret of ['user:pw', 'key=abc']) assert.ok(!everything.includes(secret), `a Session Chat log shows ${secret}`);
  });

  describe('a key belongs to the server it was saved for', () => {
    const key = 'sk-for-origin-a';
    let server: TestModelServer;
    let originA: string;
    let originB: string;

    before(async () => {
      // A server of our own that answers only requests carrying `Authorization: Bearer sk-for-origin-a`
      // (a 401 otherwise), reached under two origins: 127.0.0.1 and localhost.
      server = await startTestModelServer({ requireApiKey: key, deltaDelayMs: 0 });
      const { port } = new URL(server.baseUrl);
      originA = `http://127.0.0.1:${port}/v1`;
      originB = `http://localhost:${port}/v1`;
    });

    after(async () => {
      for (const url of [originA, originB]) {
        await setWorkspaceBaseUrl(url);
        await command('setApiKey', { key: '' });
      }
      await setWorkspaceBaseUrl(undefined);
      await server.close();
    });

    /** Sends one message to `url`; returns how it ended and the requests the server saw for it. */
    async function sendTo(url: string, text: string) {
      await setWorkspaceBaseUrl(url);
      server.reset();
      const result = await api.send(text);
      const requests = server.requests.filter((request) => request.method === 'POST');
      return { result, requests };
    }

    it('is sent to origin A, not when the workspace switches to origin B, and again back on A', async () => {
      await setWorkspaceBaseUrl(originA);
      assert.equal(await command('setApiKey', { key }), true);

      const first = await sendTo(originA, 'hello A');
      assert.equal(first.result.status, 'completed', `origin A answers with its key: ${JSON.stringify(first.result)}`);

      const other = await sendTo(originB, 'hello B');
      assert.equal(other.requests.length, 1, 'the request did reach the server under origin B');
      assert.equal(other.result.status, 'failed', 'origin B got the key saved for origin A');
      assert.equal(other.result.status === 'failed' && other.result.error.kind, 'auth');
      const snapshot = await panelShows(api, (s) => s.thread.id === api.currentThreadId() && s.error !== undefined, 'the error under the message');
      assert.match(snapshot.error?.message ?? '', /localhost:\d+\/v1 needs an API key/);
      assert.ok(snapshot.error?.actions.includes('setApiKey'), `offers Set API Key: ${JSON.stringify(snapshot.error)}`);

      const again = await sendTo(originA, 'hello A again');
      assert.equal(again.result.status, 'completed', `origin A still has its key: ${JSON.stringify(again.result)}`);
    });

    it('Set API Key while origin B is set saves a key for origin B only', async () => {
      await setWorkspaceBaseUrl(originA);
      await command('setApiKey', { key });
      await setWorkspaceBaseUrl(originB);
      assert.equal(await command('setApiKey', { key }), true);
      assert.equal((await sendTo(originB, 'hello B with its own key')).result.status, 'completed');
      // Removing B's key leaves A's alone.
      await setWorkspaceBaseUrl(originB);
      await command('setApiKey', { key: '' });
      assert.equal((await sendTo(originB, 'hello B without')).result.status, 'failed');
      assert.equal((await sendTo(originA, 'hello A still')).result.status, 'completed');
    });
  });
});
