import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { OpenAiCompatibleSource } from '../../src/core/model/openAiCompatibleSource.ts';
import { redactText, redactUrl } from '../../src/core/model/redactUrl.ts';
import { ModelSourceError, type RunError } from '../../src/core/model/runError.ts';
import { deadBaseUrl, WIRE_APIS } from '../fixtures/runnerTestKit.ts';
import { startTestModelServer, TEST_MODELS, type TestModelServer } from '../fixtures/testModelServer.ts';

/** The RunError a source rejected with; fails the test for anything else. */
async function rejection(promise: Promise<unknown>): Promise<{ error: RunError; message: string }> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ModelSourceError, `expected a ModelSourceError, got ${String(error)}`);
    return { error: error.runError, message: error.message };
  }
  assert.fail('expected a rejection');
}

describe('OpenAiCompatibleSource.listModels', () => {
  let server: TestModelServer;
  before(async () => {
    server = await startTestModelServer();
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  for (const api of WIRE_APIS) {
    test(`lists the server's models, sorted, over ${api}`, async () => {
      const models = await new OpenAiCompatibleSource({ baseUrl: server.baseUrl, api }).listModels();
      assert.deepEqual(models, [...TEST_MODELS].sort());
      assert.deepEqual(server.requests.map((request) => `${request.method} ${request.path}`), ['GET /v1/models']);
    });
  }

  test('a server that is not there rejects with a connection error', async () => {
    const { error } = await rejection(new OpenAiCompatibleSource({ baseUrl: await deadBaseUrl(), api: 'responses' }).listModels());
    assert.deepEqual(error, { kind: 'refused', detail: 'ECONNREFUSED' });
  });

  test('a server without a model list rejects with its status and words', async () => {
    const { error, message } = await rejection(new OpenAiCompatibleSource({ baseUrl: server.baseUrl.replace(/\/v1$/, '/nowhere'), api: 'responses' }).listModels());
    assert.equal(error.kind, 'notFound');
    assert.equal(error.status, 404);
    assert.match(message, /Unknown path GET \/nowhere\/models \(404\)/);
  });

  test('a base URL with credentials rejects as invalidUrl without a request, and nothing thrown holds a secret', async () => {
    const baseUrl = server.baseUrl.replace('http://', 'http://user:pw@') + '?key=abc';
    const source = new OpenAiCompatibleSource({ baseUrl, api: 'responses' });
    for (const attempt of [source.listModels(), source.stream({ model: 'test-model', history: [], signal: new AbortController().signal, onDelta: () => {} })]) {
      const { error, message } = await rejection(attempt);
      assert.deepEqual(error, { kind: 'invalidUrl', detail: 'the base URL contains a user name or password' });
      for (const text of [message, JSON.stringify(error)]) {
        for (const secret of ['pw', 'user:', 'key=abc']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
      }
    }
    assert.equal(server.requests.length, 0);
  });

  test('an aborted listing rejects', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(new OpenAiCompatibleSource({ baseUrl: server.baseUrl, api: 'responses' }).listModels(controller.signal));
  });
});

describe('redacting the base URL', () => {
  test('redactUrl keeps origin and path only', () => {
    assert.equal(redactUrl('https://u:p@host.example:8443/v1/?key=abc#x'), 'https://host.example:8443/v1/');
    assert.equal(redactUrl('not a url'), '(not a valid URL)');
  });

  test('redactText cuts URLs and the base URL secrets out of any message', () => {
    const baseUrl = 'https://alice:hunter2@host.example/v1?api-key=sk-query-secret';
    const text = redactText(`fetch https://alice:hunter2@host.example/v1/models?api-key=sk-query-secret failed; alice said hunter2 and sk-query-secret`, baseUrl);
    assert.equal(text, 'fetch https://host.example/v1/models failed; *** said *** and ***');
  });
});
