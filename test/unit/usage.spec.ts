import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { runTurn } from '../../src/core/model/runner.ts';
import type { ModelSource } from '../../src/core/model/modelSource.ts';
import type { Item } from '../../src/core/session/session.ts';
import { userItem } from '../../src/core/model/items.ts';
import { addUsage, emptyUsage, estimateTokens } from '../../src/core/model/usage.ts';
import { modelRequests, settingsFor, turn, WIRE_APIS } from '../fixtures/runnerTestKit.ts';
import { startTestModelServer, type TestModelServer } from '../fixtures/testModelServer.ts';
import { fixtureUsage } from '../fixtures/usage.ts';

for (const api of WIRE_APIS) {
  describe(`usage over ${api}`, () => {
    let server: TestModelServer;
    before(async () => {
      server = await startTestModelServer({ deltaDelayMs: 1 });
    });
    after(() => server.close());
    beforeEach(() => server.reset());

    test('an answer carries the tokens the server reported, cached ones included, not marked estimated', async () => {
      const thread: Item[] = [userItem('first'), { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'one' }] } as Item];
      const { result } = await turn(thread, settingsFor(server.baseUrl, api), 'How many tokens is this?');
      assert.equal(result.status, 'completed');
      if (result.status !== 'completed') return;
      const [body] = modelRequests(server.requests);
      const expected = fixtureUsage(body!, { kind: 'text', deltas: [result.text], delayMs: 0 }, 3);
      assert.deepEqual(result.usage, { inputTokens: expected.input, outputTokens: expected.output, cachedTokens: expected.cached, estimated: false, requests: 1 });
      assert.ok(result.usage.cachedTokens > 0, 'the second message of a conversation is served partly from the cache');
      if (api === 'chat-completions') assert.deepEqual(body!.stream_options, { include_usage: true });
    });

    test('tool rounds add up: two requests, their tokens summed', async () => {
      await server.next({ tool: true });
      const thread: Item[] = [];
      const { result } = await turn(thread, settingsFor(server.baseUrl, api), 'What time is it?');
      assert.equal(result.status, 'completed');
      if (result.status !== 'completed') return;
      assert.equal(result.usage.requests, 2);
      const bodies = modelRequests(server.requests);
      assert.equal(bodies.length, 2);
      const firstInput = Math.ceil((JSON.stringify(bodies[0]!.messages ?? bodies[0]!.input)).length / 4);
      const secondInput = Math.ceil((JSON.stringify(bodies[1]!.messages ?? bodies[1]!.input)).length / 4);
      assert.equal(result.usage.inputTokens, firstInput + secondInput);
      assert.equal(result.usage.estimated, false);
    });

    test('Stop mid-stream keeps an estimate of what the request cost, marked estimated', async () => {
      await server.next({ long: { deltas: 200, delayMs: 5 } });
      const controller = new AbortController();
      const thread: Item[] = [];
      const { result } = await turn(thread, settingsFor(server.baseUrl, api), 'Count slowly', controller, (deltas) => {
        if (deltas.length === 10) controller.abort();
      });
      assert.equal(result.status, 'stopped');
      if (result.status !== 'stopped') return;
      assert.equal(result.usage.estimated, true);
      assert.equal(result.usage.requests, 1);
      assert.equal(result.usage.inputTokens, estimateTokens('Count slowly'));
      assert.equal(result.usage.outputTokens, estimateTokens(result.text));
    });
  });
}

describe('usage of a source that reports none', () => {
  test('is estimated from the text sent (system prompt included) and received, and marked so', async () => {
    const answer = 'An answer of forty characters, roughly.';
    const source: ModelSource = {
      stream: async (request) => {
        request.onDelta(answer);
        return { items: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: answer }] } as Item] };
      },
      listModels: async () => [],
    };
    const result = await runTurn({ source, history: [userItem('Hello, model')], settings: { model: 'm', systemPrompt: 'Be brief.' }, signal: new AbortController().signal, onDelta: () => undefined });
    assert.equal(result.status, 'completed');
    if (result.status !== 'completed') return;
    assert.deepEqual(result.usage, { inputTokens: estimateTokens('Be brief.Hello, model'), outputTokens: estimateTokens(answer), cachedTokens: 0, estimated: true, requests: 1 });
  });

  test('a partly reported usage keeps the reported figure and estimates the other', async () => {
    const source: ModelSource = {
      stream: async (request) => {
        request.onDelta('abcd');
        return { items: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'abcd' }] } as Item], usage: { inputTokens: 77 } };
      },
      listModels: async () => [],
    };
    const result = await runTurn({ source, history: [userItem('x')], settings: { model: 'm' }, signal: new AbortController().signal, onDelta: () => undefined });
    assert.ok(result.status === 'completed');
    assert.equal(result.usage.inputTokens, 77);
    assert.equal(result.usage.outputTokens, 1);
    assert.equal(result.usage.estimated, true);
  });

  test('sums keep every figure and mark the sum estimated when any part was', () => {
    const a = { inputTokens: 10, outputTokens: 5, cachedTokens: 2, estimated: false, requests: 1 };
    const b = { inputTokens: 1, outputTokens: 1, cachedTokens: 0, estimated: true, requests: 2 };
    assert.deepEqual(addUsage(addUsage(emptyUsage(), a), b), { inputTokens: 11, outputTokens: 6, cachedTokens: 2, estimated: true, requests: 3 });
  });
});

describe('usage counted by the source rather than reported', () => {
  test('keeps the counts and marks them estimated', async () => {
    const source: ModelSource = {
      stream: async (request) => {
        request.onDelta('hi');
        return { items: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'hi' }] } as Item], usage: { inputTokens: 12, outputTokens: 1, counted: true } };
      },
      listModels: async () => [],
    };
    const result = await runTurn({ source, history: [userItem('x')], settings: { model: 'm' }, signal: new AbortController().signal, onDelta: () => undefined });
    assert.ok(result.status === 'completed');
    assert.deepEqual(result.usage, { inputTokens: 12, outputTokens: 1, cachedTokens: 0, estimated: true, requests: 1 });
  });
});
