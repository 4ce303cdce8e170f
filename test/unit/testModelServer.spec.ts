import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, beforeEach, describe, test } from 'node:test';
import { startTestModelServer, type LoggedRequest, type TestModelServer } from '../fixtures/testModelServer.ts';

async function post(server: TestModelServer, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${server.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer sk-secret', ...headers }, body: JSON.stringify(body) });
}

const userSays = (text: string, stream = true) => ({ model: 'test-model', stream, input: [{ role: 'user', content: text }] });
const chatSays = (text: string, stream = true) => ({ model: 'test-model', stream, messages: [{ role: 'user', content: text }] });

describe('test model server', () => {
  let server: TestModelServer;
  before(async () => {
    server = await startTestModelServer({ deltaDelayMs: 0 });
  });
  after(() => server.close());
  beforeEach(() => server.reset());

  test('frames Responses events with event and data lines, in order, with increasing sequence numbers', async () => {
    const text = await (await post(server, '/responses', userSays('hi'))).text();
    const frames = text.trim().split('\n\n').map((frame) => frame.split('\n'));
    const types = frames.map(([event, data]) => {
      const parsed = JSON.parse(data!.slice('data: '.length)) as { type: string; sequence_number: number };
      assert.equal(event, `event: ${parsed.type}`);
      return parsed;
    });
    assert.equal(types[0]?.type, 'response.created');
    assert.equal(types.at(-1)?.type, 'response.completed');
    assert.ok(types.filter((t) => t.type === 'response.output_text.delta').length > 2);
    assert.deepEqual(types.map((t) => t.sequence_number), types.map((_, i) => i));
  });

  test('frames Chat Completions chunks as data lines ending with [DONE]', async () => {
    const text = await (await post(server, '/chat/completions', chatSays('hi'))).text();
    const lines = text.trim().split('\n\n');
    assert.ok(lines.every((line) => line.startsWith('data: ')));
    assert.equal(lines.at(-1), 'data: [DONE]');
    const content = lines.slice(0, -1).map((line) => JSON.parse(line.slice(6)).choices[0]?.delta?.content ?? '').join('');
    assert.equal(content, 'Echo: hi\n\n(I was sent 1 messages.)');
  });

  test('answers without streaming too, with a ts code block when asked about code', async () => {
    const responses = await (await post(server, '/responses', userSays('show me code', false))).json();
    assert.match(responses.output[0].content[0].text, /```ts\n[\s\S]+\n```/);
    const chat = await (await post(server, '/chat/completions', chatSays('plain', false))).json();
    assert.equal(chat.choices[0].message.content, 'Echo: plain\n\n(I was sent 1 messages.)');
  });

  test('lists models', async () => {
    const models = await (await fetch(`${server.baseUrl}/models`)).json();
    assert.ok(models.data.some((model: { id: string }) => model.id === 'test-model'));
  });

  test('an [error 429] marker answers with the real API error body', async () => {
    const response = await post(server, '/chat/completions', chatSays('please [error 429]'));
    assert.equal(response.status, 429);
    const body = await response.json();
    assert.equal(body.error.code, 'rate_limit_exceeded');
    assert.equal(typeof body.error.message, 'string');
  });

  test('the control API queues behaviours for a number of requests, logs requests without the key, and resets', async () => {
    await fetch(server.baseUrl.replace('/v1', '/_test/next'), { method: 'POST', body: JSON.stringify({ error: 500, times: 2 }) });
    assert.equal((await post(server, '/responses', userSays('a'))).status, 500);
    assert.equal((await post(server, '/responses', userSays('b'))).status, 500);
    assert.equal((await post(server, '/responses', userSays('c'))).status, 200);
    const log = (await (await fetch(server.baseUrl.replace('/v1', '/_test/requests'))).json()) as LoggedRequest[];
    assert.deepEqual(log.map((entry) => (entry.body as { input: { content: string }[] }).input[0]?.content), ['a', 'b', 'c']);
    assert.equal(log[0]?.hasAuthorization, true);
    assert.equal(log[0]?.headers.authorization, undefined);
    assert.ok(!JSON.stringify(log).includes('sk-secret'));
    await fetch(server.baseUrl.replace('/v1', '/_test/reset'), { method: 'POST' });
    assert.equal(server.requests.length, 0);
  });

  test('[hang] never answers, and close still stops the server', async () => {
    const hung = await startTestModelServer();
    const pending = post(hung, '/responses', userSays('[hang]')).then(() => 'answered', () => 'closed');
    const timeout = new Promise((resolve) => setTimeout(() => resolve('waiting'), 200));
    assert.equal(await Promise.race([pending, timeout]), 'waiting');
    await hung.close();
    assert.equal(await pending, 'closed');
  });

  test('requireApiKey answers 401 to a wrong key and 200 to the right one', async () => {
    const locked = await startTestModelServer({ requireApiKey: 'sk-right' });
    try {
      assert.equal((await post(locked, '/responses', userSays('x'))).status, 401);
      assert.equal((await post(locked, '/responses', userSays('x'), { authorization: 'Bearer sk-right' })).status, 200);
    } finally {
      await locked.close();
    }
  });

  test('serve.ts prints exactly one URL line and exits on SIGTERM', async () => {
    const child = spawn(process.execPath, ['test/fixtures/serve.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (stdout += chunk));
    while (!stdout.includes('\n')) await once(child.stdout, 'data');
    const url = /^TEST_MODEL_SERVER_URL=(http:\/\/127\.0\.0\.1:\d+\/v1)\n$/.exec(stdout)?.[1];
    assert.ok(url, `unexpected output: ${stdout}`);
    assert.equal((await fetch(`${url}/models`)).status, 200);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
    assert.equal(stdout.split('\n').filter(Boolean).length, 1);
  });
});
