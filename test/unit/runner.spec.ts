import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { OpenAiCompatibleSource } from '../../src/core/model/openAiCompatibleSource.ts';
import type { Item } from '../../src/core/session/session.ts';
import type { ModelReply, ModelRequest, ModelSource } from '../../src/core/model/modelSource.ts';
import { runTurn } from '../../src/core/model/runner.ts';
import { modelRequests, sentCount, sentEntries, settingsFor, turn, WIRE_APIS } from '../fixtures/runnerTestKit.ts';
import { startTestModelServer, type TestModelServer } from '../fixtures/testModelServer.ts';

for (const api of WIRE_APIS) {
  describe(`runTurn over ${api}`, () => {
    let server: TestModelServer;
    before(async () => {
      server = await startTestModelServer({ deltaDelayMs: 1 });
    });
    after(() => server.close());
    beforeEach(() => server.reset());

    test('streams the answer in several deltas and returns the assistant item in the SDK shape', async () => {
      const thread: Item[] = [];
      const { result, deltas } = await turn(thread, settingsFor(server.baseUrl, api), 'Hello there');
      assert.equal(result.status, 'completed');
      assert.ok(deltas.length > 3, `expected several deltas, got ${deltas.length}`);
      const expected = 'Echo: Hello there\n\n(I was sent 1 messages.)';
      assert.equal(deltas.join(''), expected);
      assert.equal(result.text, expected);
      const assistant = { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: expected }] };
      assert.deepEqual(thread, [{ type: 'message', role: 'user', content: 'Hello there' }, assistant]);
      assert.deepEqual(result.status === 'completed' && result.items, [assistant]);
      const [body] = modelRequests(server.requests);
      assert.equal(body?.stream, true);
      assert.equal(body?.model, 'test-model');
    });

    test('sends the stored history as it is, ending with the question, and leaves it unchanged', async () => {
      const thread: Item[] = [
        { type: 'message', role: 'user', content: 'q1' },
        { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'a1' }] },
        { type: 'message', role: 'user', content: 'q2' },
      ] as Item[];
      const history = structuredClone(thread);
      const result = await runTurn({ source: new OpenAiCompatibleSource(settingsFor(server.baseUrl, api)), history, settings: { model: 'test-model' }, signal: new AbortController().signal, onDelta: () => {} });
      assert.equal(result.status, 'completed');
      assert.deepEqual(history, thread, 'the runner stores nothing, not even in the array it was given');
      const entries = sentEntries(modelRequests(server.requests)[0]!);
      assert.deepEqual(entries.map((entry) => [entry.role, entry.content]), [['user', 'q1'], ['assistant', 'a1'], ['user', 'q2']]);
    });

    test('the next turn sends the earlier turn as history', async () => {
      const thread: Item[] = [];
      const settings = settingsFor(server.baseUrl, api);
      await turn(thread, settings, 'first');
      const { result } = await turn(thread, settings, 'second');
      assert.equal(sentCount(result.text), 3);
      assert.equal((thread).length, 4);
    });

    test('sends the system prompt the way the wire API expects it', async () => {
      await turn([], settingsFor(server.baseUrl, api, { systemPrompt: 'Be brief.' }), 'hi');
      const [body] = modelRequests(server.requests);
      if (api === 'responses') assert.equal(body?.instructions, 'Be brief.');
      else assert.deepEqual(sentEntries(body!)[0], { role: 'system', content: 'Be brief.' });
    });

    test('Stop keeps the partial answer as an incomplete assistant message', async () => {
      const thread: Item[] = [];
      const controller = new AbortController();
      const { result, deltas } = await turn(thread, settingsFor(server.baseUrl, api), 'tell me slowly [slow]', controller, (seen) => {
        if (seen.length === 2) controller.abort();
      });
      assert.equal(result.status, 'stopped');
      const partial = deltas.join('');
      assert.ok(partial.startsWith('Echo: '));
      assert.equal(result.text, partial);
      const stored = thread;
      assert.equal(stored.length, 2);
      assert.deepEqual(stored[1], { type: 'message', role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text: partial }] });
    });

    test('an answer longer than maxAnswerChars is cut there and kept as incomplete, with the cap named', async () => {
      server.next({ reply: 'word '.repeat(20_000) });
      const thread: Item[] = [];
      const { result, deltas } = await turn(thread, settingsFor(server.baseUrl, api, { maxAnswerChars: 1000 }), 'talk forever');
      assert.equal(result.status, 'stopped');
      assert.equal(result.status === 'stopped' && result.cut, 'length');
      assert.equal(deltas.join('').length, 1000, 'the panel is sent no more than the cap');
      assert.equal(result.text.length, 1000);
      assert.deepEqual(thread[1], { type: 'message', role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text: result.text }] });
    });

    test('an answer that streams past maxAnswerMs is cut with what arrived so far', async () => {
      const thread: Item[] = [];
      const started = Date.now();
      const { result } = await turn(thread, settingsFor(server.baseUrl, api, { maxAnswerMs: 700 }), 'take your time [slow]');
      assert.equal(result.status === 'stopped' && result.cut, 'time');
      assert.ok(Date.now() - started < 5000, 'cut long before the 10 s the slow answer takes');
      assert.ok(result.text.startsWith('Echo: '));
      assert.equal((thread[1] as { status?: string }).status, 'incomplete');
    });

    test('historyLimit bounds what is sent: the limit plus the new message', async () => {
      const thread: Item[] = [];
      const settings = settingsFor(server.baseUrl, api);
      for (const text of ['one', 'two', 'three']) await turn(thread, settings, text);
      const { result } = await turn(thread, { ...settings, historyLimit: 2 }, 'four');
      assert.equal(sentCount(result.text), 3);
      const { result: all } = await turn(thread, { ...settings, historyLimit: 0 }, 'five');
      assert.equal(sentCount(all.text), 9);
    });

    test('a limit that cuts a tool call off its output sends neither orphan', async () => {
      const thread: Item[] = [];
      thread.push(...[
        { type: 'message', role: 'user', content: 'old question' },
        { type: 'function_call', callId: 'c1', name: 'lookup', arguments: '{}', status: 'completed' },
        { type: 'function_call_result', callId: 'c1', name: 'lookup', status: 'completed', output: { type: 'text', text: 'found' } },
        { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'old answer' }] },
      ] as Item[]);
      const { result } = await turn(thread, settingsFor(server.baseUrl, api, { historyLimit: 2 }), 'new question');
      assert.equal(result.status, 'completed');
      const entries = sentEntries(modelRequests(server.requests)[0]!);
      assert.deepEqual(entries.map((entry) => entry.role ?? entry.type), ['assistant', 'user']);
    });

    test('tool calls stored by the SDK or in the raw Responses shape go back paired, and a call left without output is not sent', async () => {
      const thread: Item[] = [];
      thread.push(...[
        { type: 'message', role: 'user', content: 'q1' },
        { type: 'function_call', callId: 'c1', name: 'lookup', arguments: '{"q":1}', status: 'completed' },
        { type: 'function_call_result', callId: 'c1', name: 'lookup', status: 'completed', output: { type: 'text', text: 'found' } },
        { type: 'function_call', call_id: 'c2', name: 'lookup', arguments: '{"q":2}' },
        { type: 'function_call_output', call_id: 'c2', output: 'also found' },
        { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'a1' }] },
        { type: 'message', role: 'user', content: 'q2' },
        { type: 'function_call', callId: 'c3', name: 'lookup', arguments: '{}', status: 'completed' },
      ] as Item[]);
      const { result } = await turn(thread, settingsFor(server.baseUrl, api), 'q3');
      assert.equal(result.status, 'completed');
      const entries = sentEntries(modelRequests(server.requests)[0]!);
      if (api === 'responses') {
        assert.deepEqual(entries.slice(1, 5), [
          { type: 'function_call', call_id: 'c1', name: 'lookup', arguments: '{"q":1}' },
          { type: 'function_call_output', call_id: 'c1', output: 'found' },
          { type: 'function_call', call_id: 'c2', name: 'lookup', arguments: '{"q":2}' },
          { type: 'function_call_output', call_id: 'c2', output: 'also found' },
        ]);
        assert.equal(entries.length, 8);
      } else {
        assert.deepEqual(entries.slice(1, 5), [
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{"q":1}' } }] },
          { role: 'tool', tool_call_id: 'c1', content: 'found' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c2', type: 'function', function: { name: 'lookup', arguments: '{"q":2}' } }] },
          { role: 'tool', tool_call_id: 'c2', content: 'also found' },
        ]);
        assert.equal(entries.length, 8);
      }
      assert.ok(!JSON.stringify(entries).includes('c3'), 'the unanswered call c3 must not be sent');
    });

    test('a model that calls a tool is told it is unavailable and the turn ends with an answer', async () => {
      const thread: Item[] = [];
      const { result } = await turn(thread, settingsFor(server.baseUrl, api), 'What time is it? [tool]');
      assert.equal(result.status, 'completed');
      const stored = thread;
      // Stored in the Responses API's shape, the one both SDKs can continue (see items.ts).
      assert.deepEqual(stored.map((item) => item.type), ['message', 'function_call', 'function_call_output', 'message']);
      const [call, output, answer] = stored.slice(1);
      assert.equal(typeof call?.call_id, 'string');
      assert.equal(output?.call_id, call?.call_id);
      assert.equal(answer?.role, 'assistant');
      assert.match(result.text, /The tool said: The tool 'get_current_time' is not available in Session Chat/);
      const second = sentEntries(modelRequests(server.requests)[1]!);
      const wireOutput = second.find((entry) => entry.type === 'function_call_output' || entry.role === 'tool');
      assert.equal(wireOutput?.call_id ?? wireOutput?.tool_call_id, call?.call_id);
    });

    test('reasoning stored by the SDK goes back to the Responses API with its id and encrypted content, and is left out of Chat', async () => {
      const thread: Item[] = [];
      thread.push(...[
        { type: 'message', role: 'user', content: 'q1' },
        { type: 'reasoning', id: 'rs_1', content: [{ type: 'input_text', text: 'thinking' }], providerData: { encrypted_content: 'opaque' } },
        { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'a1' }] },
      ] as Item[]);
      await turn(thread, settingsFor(server.baseUrl, api), 'q2');
      const entries = sentEntries(modelRequests(server.requests)[0]!);
      if (api === 'responses') {
        assert.deepEqual(entries[1], { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'thinking' }], encrypted_content: 'opaque' });
        assert.equal(entries.length, 4);
      } else {
        assert.deepEqual(entries.map((entry) => entry.role), ['user', 'assistant', 'user']);
      }
    });
  });
}

/** A source that answers from a script, to show the runner needs nothing but the interface. */
class ScriptedSource implements ModelSource {
  readonly requests: ModelRequest[] = [];
  readonly #replies: ((request: ModelRequest) => ModelReply)[];

  constructor(replies: ((request: ModelRequest) => ModelReply)[]) {
    this.#replies = replies;
  }

  async stream(request: ModelRequest): Promise<ModelReply> {
    this.requests.push({ ...request, history: [...request.history] });
    const reply = this.#replies.shift();
    if (!reply) throw new Error('no more replies');
    return reply(request);
  }

  async listModels(): Promise<string[]> {
    return ['scripted'];
  }
}

describe('runTurn with any model source', () => {
  test('passes model, system prompt and the history, and answers unavailable-tool calls until the model answers in words', async () => {
    const call = { type: 'function_call', callId: 'c1', name: 'lookup', arguments: '{}', status: 'completed' } as Item;
    const answer = { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'done' }] } as Item;
    const source = new ScriptedSource([
      () => ({ items: [call] }),
      (request) => {
        request.onDelta('done');
        return { items: [answer] };
      },
    ]);
    const question = { type: 'message', role: 'user', content: 'q' } as Item;
    const deltas: string[] = [];
    const result = await runTurn({ source, history: [question], settings: { model: 'm', systemPrompt: 'Be brief.' }, signal: new AbortController().signal, onDelta: (delta) => deltas.push(delta) });
    assert.equal(result.status, 'completed');
    assert.deepEqual(deltas, ['done']);
    assert.deepEqual(result.status === 'completed' && result.items.map((item) => item.type), ['function_call', 'function_call_output', 'message']);
    assert.deepEqual(source.requests.map((request) => [request.model, request.systemPrompt, request.history.length]), [['m', 'Be brief.', 1], ['m', 'Be brief.', 3]]);
  });

  test('a source that ends quietly after Stop still gives a stopped turn with the partial answer', async () => {
    const controller = new AbortController();
    const source = new ScriptedSource([
      (request) => {
        request.onDelta('part');
        controller.abort();
        return { items: [] };
      },
    ]);
    const result = await runTurn({ source, history: [{ type: 'message', role: 'user', content: 'q' } as Item], settings: { model: 'm' }, signal: controller.signal, onDelta: () => {} });
    assert.equal(result.status, 'stopped');
    assert.deepEqual(result.status === 'stopped' && result.items, [{ type: 'message', role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text: 'part' }] }]);
  });

  test('an error that is not a ModelSourceError fails the turn as unknown, with its message as detail', async () => {
    const source = new ScriptedSource([]);
    const result = await runTurn({ source, history: [{ type: 'message', role: 'user', content: 'q' } as Item], settings: { model: 'm' }, signal: new AbortController().signal, onDelta: () => {} });
    assert.deepEqual(result, { status: 'failed', error: { kind: 'unknown', detail: 'no more replies' }, text: '' });
  });
});
