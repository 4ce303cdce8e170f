import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { RunError } from '../../src/core/model/runError.ts';
import type { ModelSettings } from '../../src/core/model/types.ts';
import type { Item } from '../../src/core/session/session.ts';
import { describeRunError, type RunErrorWords } from '../../src/host/chat/runErrorWords.ts';
import { deadBaseUrl, failure, modelRequests, sentCount, settingsFor, turn, WIRE_APIS } from '../fixtures/runnerTestKit.ts';
import { startTestModelServer, type TestModelServer } from '../fixtures/testModelServer.ts';

const USER = { type: 'message', role: 'user', content: 'hello' };

/** The words the host would show for an error of a turn run with these settings. */
function words(error: RunError, settings: ModelSettings): RunErrorWords {
  return describeRunError(error, { baseUrl: settings.baseUrl, model: settings.model, api: settings.api, hasApiKey: settings.apiKey !== undefined, timeoutMs: settings.timeoutMs });
}

for (const api of WIRE_APIS) {
  describe(`runTurn failures over ${api}`, () => {
    let server: TestModelServer;
    before(async () => {
      server = await startTestModelServer({ deltaDelayMs: 1 });
    });
    after(() => server.close());
    beforeEach(() => server.reset());

    const cases: { status: number; kind: RunError['kind']; detail: RegExp; words: RegExp }[] = [
      { status: 401, kind: 'auth', detail: /^Incorrect API key provided/, words: /rejected the API key \(401\)/ },
      { status: 403, kind: 'forbidden', detail: /^You are not allowed to sample from this model\.$/, words: /refused access to model 'test-model' \(403\)/ },
      { status: 404, kind: 'unknownModel', detail: /The model `test-model` does not exist/, words: /Model 'test-model' was not found on the server \(404\)\. Choose another model\./ },
      { status: 429, kind: 'rateLimit', detail: /^Rate limit reached/, words: /limiting requests \(429\): Rate limit reached/ },
      { status: 500, kind: 'server', detail: /had an error while processing/, words: /internal error \(500\)\. Retry/ },
      { status: 400, kind: 'badRequest', detail: /^Invalid request \(test server\)\.$/, words: /rejected the request \(400\)/ },
    ];
    for (const { status, kind, detail, words: expected } of cases) {
      test(`HTTP ${status} fails as '${kind}' with the server's words, and Retry then succeeds without duplicating the question`, async () => {
        const thread: Item[] = [];
        const settings = settingsFor(server.baseUrl, api);
        server.next({ error: status });
        const error = failure((await turn(thread, settings, 'hello')).result);
        assert.equal(error.kind, kind);
        assert.equal(error.status, status);
        assert.match(error.detail ?? '', detail);
        assert.match(words(error, settings).message, expected);
        assert.deepEqual(thread, [USER]);

        const retried = await turn(thread, settings);
        assert.equal(retried.result.status, 'completed');
        assert.equal(sentCount(retried.result.text), 1);
        assert.deepEqual(thread.map((item) => item.role), ['user', 'assistant']);
      });
    }

    test('a server that needs a key, asked without one, fails as auth and the words ask for a key', async () => {
      const locked = await startTestModelServer({ requireApiKey: 'sk-right' });
      try {
        const thread: Item[] = [];
        const settings = settingsFor(locked.baseUrl, api, { apiKey: undefined });
        const error = failure((await turn(thread, settings, 'hello')).result);
        assert.equal(error.kind, 'auth');
        assert.match(words(error, settings).message, /needs an API key \(401\)/);
        assert.equal(words(error, settings).actions[0], 'setApiKey');
        assert.equal(locked.requests[0]?.hasAuthorization, true, 'a placeholder key is still sent');
        const retried = await turn(thread, settingsFor(locked.baseUrl, api, { apiKey: 'sk-right' }));
        assert.equal(retried.result.status, 'completed');
        assert.deepEqual(thread.map((item) => item.role), ['user', 'assistant']);
      } finally {
        await locked.close();
      }
    });

    test('a server that never answers times out', async () => {
      const thread: Item[] = [];
      server.next({ hang: true });
      const error = failure((await turn(thread, settingsFor(server.baseUrl, api, { timeoutMs: 300 }), 'hello')).result);
      assert.deepEqual(error, { kind: 'timeout' });
      assert.deepEqual(thread, [USER]);
    });

    test('a stream that goes silent mid-answer times out instead of hanging', async () => {
      const thread: Item[] = [];
      const settings = settingsFor(server.baseUrl, api, { timeoutMs: 200 });
      const { result, deltas } = await turn(thread, settings, 'hello [slow]');
      const error = failure(result);
      assert.equal(error.kind, 'timeout');
      assert.match(words(error, settings).message, /did not answer within 0\.2 s/);
      assert.ok(deltas.length > 0, 'the answer had started');
      assert.deepEqual(thread, [{ ...USER, content: 'hello [slow]' }]);
    });

    test('a refused connection fails as refused with the low-level code', async () => {
      const thread: Item[] = [];
      const settings = settingsFor(await deadBaseUrl(), api);
      const error = failure((await turn(thread, settings, 'hello')).result);
      assert.deepEqual(error, { kind: 'refused', detail: 'ECONNREFUSED' });
      assert.equal(words(error, settings).message, `The server at ${settings.baseUrl} refused the connection. Is it running?`);
      assert.deepEqual(thread, [USER]);
    });

    test('a stream that breaks mid-answer fails as a broken stream and returns none of the partial text to store', async () => {
      const thread: Item[] = [];
      server.next({ drop: true });
      const { result, deltas } = await turn(thread, settingsFor(server.baseUrl, api), 'hello');
      const error = failure(result);
      assert.equal(error.kind, 'stream');
      assert.ok(deltas.length > 0, 'some text streamed before the break');
      assert.equal(result.text, deltas.join(''));
      assert.deepEqual(thread, [USER]);
      assert.equal(modelRequests(server.requests).length, 1, 'no automatic retries');
    });

    test('an event that is not JSON mid-stream fails as badEvent, not as a broken connection', async () => {
      const thread: Item[] = [];
      const settings = settingsFor(server.baseUrl, api);
      const { result, deltas } = await turn(thread, settings, 'hello [badjson]');
      const error = failure(result);
      assert.equal(error.kind, 'badEvent');
      assert.ok(deltas.length > 0, 'the answer had started');
      assert.match(words(error, settings).message, /sent an invalid event/);
      assert.deepEqual(thread, [{ ...USER, content: 'hello [badjson]' }]);
    });

    test('a base URL with a user name, password and key fails as invalidUrl before any request, and no word of it shows', async () => {
      const thread: Item[] = [];
      const settings = settingsFor(server.baseUrl.replace('http://', 'http://user:pw@') + '?key=abc', api);
      const error = failure((await turn(thread, settings, 'hello')).result);
      assert.deepEqual(error, { kind: 'invalidUrl', detail: 'the base URL contains a user name or password' });
      assert.equal(server.requests.length, 0, 'no request was sent');
      const shown = words(error, settings);
      assert.deepEqual(shown.actions, ['openSettings', 'setApiKey']);
      for (const text of [JSON.stringify(error), shown.message]) {
        for (const secret of ['pw', 'user:', 'key=abc']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
      }
    });

    test('a base URL that is not http(s) fails as invalidUrl before any request', async () => {
      for (const baseUrl of ['ftp://127.0.0.1/v1', 'localhost:11434/v1', 'not a url']) {
        const error = failure((await turn([], settingsFor(baseUrl, api), 'hello')).result);
        assert.equal(error.kind, 'invalidUrl', baseUrl);
      }
    });

    test('a key in the query of the base URL reaches the server but never the error', async () => {
      const thread: Item[] = [];
      const settings = settingsFor(server.baseUrl + '?api-key=secret-in-query', api);
      server.next({ error: 500 });
      const error = failure((await turn(thread, settings, 'hello')).result);
      assert.equal(error.kind, 'server');
      assert.equal(server.requests.length, 1);
      const shown = words(error, settings).message;
      assert.ok(!`${JSON.stringify(error)} ${shown}`.includes('secret-in-query'));
      assert.match(shown, new RegExp(`The server at ${server.baseUrl.replaceAll('.', '\\.')} had`));
    });
  });
}
