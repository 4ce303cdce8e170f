import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DatabaseSync } from 'node:sqlite';
import { Agent, run, setDefaultOpenAIClient, setTracingDisabled, type AgentInputItem } from '@openai/agents';
import OpenAI from 'openai';
import { userItem } from '../../src/core/model/items.ts';
import { OpenAiCompatibleSource } from '../../src/core/model/openAiCompatibleSource.ts';
import { runTurn } from '../../src/core/model/runner.ts';
import { SqliteSession } from '../../src/core/session/sqliteSession.ts';
import { sentCount } from '../fixtures/runnerTestKit.ts';
import { startTestModelServer, type TestModelServer } from '../fixtures/testModelServer.ts';

function contentOf(entry: Record<string, unknown>): string {
  const content = entry.content;
  return typeof content === 'string' ? content : JSON.stringify(content);
}

describe('SqliteSession as the session of the Agents SDK run()', () => {
  let server: TestModelServer;
  let dir: string;
  before(async () => {
    server = await startTestModelServer({ deltaDelayMs: 0 });
    dir = mkdtempSync(join(tmpdir(), 'session-chat-sdk-'));
    setDefaultOpenAIClient(new OpenAI({ baseURL: server.baseUrl, apiKey: 'test', maxRetries: 0 }));
    setTracingDisabled(true);
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('two runs in a row: the second request carries the first turn, and the rows are in agent_messages', async () => {
    const file = join(dir, 'sessions.db');
    // Typed with the SDK's own item type, the session goes to run() without a cast.
    const store = new SqliteSession<AgentInputItem>('thread-1', file);
    const session = store;
    const agent = new Agent({ name: 'Echo', instructions: 'Answer briefly.', model: 'test-model' });
    try {
      const first = await run(agent, 'first question', { session });
      assert.equal(first.finalOutput, 'Echo: first question\n\n(I was sent 1 messages.)');
      const second = await run(agent, 'second question', { session });
      assert.equal(second.finalOutput, 'Echo: second question\n\n(I was sent 3 messages.)');
      const sent = server.requests.filter((r) => r.method === 'POST').map((r) => (r.body as { input: Record<string, unknown>[] }).input);
      assert.equal(sent.length, 2);
      assert.deepEqual(sent[1]!.map(contentOf).slice(0, 1), [contentOf(sent[0]![0]!)]);
      assert.match(JSON.stringify(sent[1]![1]), /Echo: first question/);
    } finally {
      store.close();
    }
    // Read the file with Node's own SQLite, independent of the store's code.
    const db = new DatabaseSync(file, { readOnly: true });
    try {
      const rows = db.prepare('SELECT message_data FROM agent_messages WHERE session_id = ? ORDER BY id').all('thread-1') as unknown as { message_data: string }[];
      const items = rows.map((row) => JSON.parse(row.message_data) as Record<string, unknown>);
      assert.deepEqual(items.map((item) => item.role), ['user', 'assistant', 'user', 'assistant']);
      assert.deepEqual(items[0], { type: 'message', role: 'user', content: 'first question' });
      assert.equal(db.prepare('SELECT COUNT(*) AS n FROM agent_sessions WHERE session_id = ?').get('thread-1')?.n, 1);
    } finally {
      db.close();
    }
  });

  test('the panel and the SDK share one history, tool items included: each continues what the other stored', async () => {
    // Two connections on one file, as a script and the extension would have.
    const file = join(dir, 'shared.db');
    const store = new SqliteSession('thread-2', file);
    // The TS SDK reads tool items in its own shape; the rows stay in the Python SDK's (see sdkItemShape.ts).
    const session = new SqliteSession<AgentInputItem>('thread-2', file, { itemShape: 'agents-js' });
    try {
      const agent = new Agent({ name: 'Echo', model: 'test-model' });
      await run(agent, 'asked through the SDK', { session });
      const settings = { baseUrl: server.baseUrl, model: 'test-model', api: 'chat-completions' as const, apiKey: 'test' };
      // As the panel does: the question is stored first, the runner answers the stored history.
      await store.addItems([userItem('asked in the panel [tool]')]);
      const result = await runTurn({ source: new OpenAiCompatibleSource(settings), history: await store.getItems(), settings, signal: new AbortController().signal, onDelta: () => {} });
      assert.ok(result.status === 'completed');
      await store.addItems(result.items);
      // The panel stored user, function_call, its output and the answer: the SDK must replay them.
      assert.equal(sentCount(result.text), 5);
      const again = await run(agent, 'back in the SDK', { session });
      assert.equal(sentCount(String(again.finalOutput)), 7);
      const lastInput = (server.requests.at(-1)?.body as { input: Record<string, unknown>[] }).input;
      assert.deepEqual(lastInput.map((entry) => entry.type ?? entry.role).slice(3, 5), ['function_call', 'function_call_output']);
    } finally {
      store.close();
      session.close();
    }
  });
});
