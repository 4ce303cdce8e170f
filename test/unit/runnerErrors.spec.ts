import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { RunError, TurnResult } from '../../src/core/model/types.ts';
import { MemorySession } from '../../src/core/session/memorySession.ts';
import { modelRequests, sentCount, settingsFor, turn, WIRE_APIS } from '../fixtures/runnerTestKit.ts';
import { startTestModelServer, type TestModelServer } from '../fixtures/testModelServer.ts';

const USER = { type: 'message', role: 'user', content: 'hello' };

function failure(result: TurnResult): RunError {
  assert.equal(result.status, 'failed');
  return (result as Extract<TurnResult, { status: 'failed' }>).error;
}

/** A base URL where nothing listens: a server that was started, then closed. */
async function deadBaseUrl(): Promise<string> {
  const server = await startTestModelServer();
  await server.close();
  return server.baseUrl;
}

for (const api of WIRE_APIS) {
  describe(`runTurn failures over ${api}`, () => {
    let server: TestModelServer;
    before(async () => {
      server = await startTestModelServer({ deltaDelayMs: 1 });
    });
    after(() => server.close());
    beforeEach(() => server.reset());

    const cases: { status: number; kind: RunError['kind']; words: RegExp; actions: RunError['actions'] }[] = [
      { status: 401, kind: 'auth', words: /rejected the API key \(401\)/, actions: ['setApiKey', 'retry'] },
      { status: 403, kind: 'forbidden', words: /refused access to model 'test-model' \(403\)/, actions: ['selectModel', 'setApiKey'] },
      { status: 404, kind: 'notFound', words: /Model 'test-model' was not found on the server \(404\)\. Choose another model\./, actions: ['selectModel', 'openSettings'] },
      { status: 429, kind: 'rateLimit', words: /limiting requests \(429\): Rate limit reached/, actions: ['retry'] },
      { status: 500, kind: 'server', words: /internal error \(500\)\. Retry/, actions: ['retry'] },
      { status: 400, kind: 'badRequest', words: /rejected the request \(400\)/, actions: ['openSettings', 'retry'] },
    ];
    for (const { status, kind, words, actions } of cases) {
      test(`HTTP ${status} fails as '${kind}', keeps the user's message once, and Retry then succeeds without duplicating it`, async () => {
        const session = new MemorySession('s');
        const settings = settingsFor(server.baseUrl, api);
        server.next({ error: status });
        const error = failure((await turn(session, settings, 'hello')).result);
        assert.equal(error.kind, kind);
        assert.equal(error.status, status);
        assert.match(error.message, words);
        assert.deepEqual(error.actions, actions);
        assert.deepEqual(await session.getItems(), [USER]);

        const retried = await turn(session, settings);
        assert.equal(retried.result.status, 'completed');
        assert.equal(sentCount(retried.result.text), 1);
        const stored = await session.getItems();
        assert.deepEqual(stored.map((item) => item.role), ['user', 'assistant']);
      });
    }

    test('a server that needs a key, asked without one, says so and offers Set API Key', async () => {
      const locked = await startTestModelServer({ requireApiKey: 'sk-right' });
      try {
        const session = new MemorySession('s');
        const error = failure((await turn(session, settingsFor(locked.baseUrl, api, { apiKey: undefined }), 'hello')).result);
        assert.equal(error.kind, 'auth');
        assert.match(error.message, /needs an API key \(401\)/);
        assert.equal(error.actions[0], 'setApiKey');
        assert.equal(locked.requests[0]?.hasAuthorization, true, 'a placeholder key is still sent');
        const retried = await turn(session, settingsFor(locked.baseUrl, api, { apiKey: 'sk-right' }));
        assert.equal(retried.result.status, 'completed');
        assert.deepEqual((await session.getItems()).map((item) => item.role), ['user', 'assistant']);
      } finally {
        await locked.close();
      }
    });

    test('a server that never answers times out with Retry', async () => {
      const session = new MemorySession('s');
      server.next({ hang: true });
      const error = failure((await turn(session, settingsFor(server.baseUrl, api, { timeoutMs: 300 }), 'hello')).result);
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /did not answer within/);
      assert.deepEqual(error.actions, ['retry', 'openSettings']);
      assert.deepEqual(await session.getItems(), [USER]);
    });

    test('a stream that goes silent mid-answer times out instead of hanging', async () => {
      const session = new MemorySession('s');
      const { result, deltas } = await turn(session, settingsFor(server.baseUrl, api, { timeoutMs: 200 }), 'hello [slow]');
      const error = failure(result);
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /did not answer within 0\.2 s/);
      assert.ok(deltas.length > 0, 'the answer had started');
      assert.deepEqual(await session.getItems(), [{ ...USER, content: 'hello [slow]' }]);
    });

    test('a refused connection says so and offers Retry', async () => {
      const session = new MemorySession('s');
      const baseUrl = await deadBaseUrl();
      const error = failure((await turn(session, settingsFor(baseUrl, api), 'hello')).result);
      assert.equal(error.kind, 'connection');
      assert.equal(error.message, `The server at ${baseUrl} refused the connection. Is it running?`);
      assert.ok(error.actions.includes('retry'));
      assert.deepEqual(await session.getItems(), [USER]);
    });

    test('a stream that breaks mid-answer fails as a broken stream and stores none of the partial text', async () => {
      const session = new MemorySession('s');
      server.next({ drop: true });
      const { result, deltas } = await turn(session, settingsFor(server.baseUrl, api), 'hello');
      const error = failure(result);
      assert.equal(error.kind, 'stream');
      assert.match(error.message, /broke off in the middle of the answer/);
      assert.deepEqual(error.actions, ['retry']);
      assert.ok(deltas.length > 0, 'some text streamed before the break');
      assert.equal(result.text, deltas.join(''));
      assert.deepEqual(await session.getItems(), [USER]);
      assert.equal(modelRequests(server.requests).length, 1, 'no automatic retries');
    });
  });
}
