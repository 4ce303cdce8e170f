import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DatabaseSync } from 'node:sqlite';
import { Agent, run, setDefaultOpenAIClient, setTracingDisabled, tool, type AgentInputItem } from '@openai/agents';
import OpenAI from 'openai';
import { z } from 'zod';
import { userItem } from '../../src/core/model/items.ts';
import { OpenAiCompatibleSource } from '../../src/core/model/openAiCompatibleSource.ts';
import { runTurn } from '../../src/core/model/runner.ts';
import { SqliteSession } from '../../src/core/session/sqliteSession.ts';
import { modelRequests, sentEntries, settingsFor } from '../fixtures/runnerTestKit.ts';
import { startTestModelServer, type TestModelServer } from '../fixtures/testModelServer.ts';

/** The rows of a session, read with Node's own SQLite, independent of the store's code. */
function rows(file: string, sessionId: string): Record<string, unknown>[] {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const found = db.prepare('SELECT message_data FROM agent_messages WHERE session_id = ? ORDER BY id').all(sessionId) as unknown as { message_data: string }[];
    return found.map((row) => JSON.parse(row.message_data) as Record<string, unknown>);
  } finally {
    db.close();
  }
}

/**
 * The Python SDK sends stored items to the Responses API as they are and its Chat Completions
 * converter reads `call_id` from `function_call` / `function_call_output`: a row it can continue
 * has exactly the wire's fields.
 */
function assertPythonReadable(item: Record<string, unknown>): void {
  if (item.type === 'function_call') assert.deepEqual(Object.keys(item).filter((key) => !['type', 'id', 'call_id', 'name', 'arguments', 'status'].includes(key)), [], JSON.stringify(item));
  if (item.type === 'function_call_output') assert.deepEqual(Object.keys(item).filter((key) => !['type', 'id', 'call_id', 'output', 'status'].includes(key)), [], JSON.stringify(item));
  assert.notEqual(item.type, 'function_call_result');
  if (String(item.type).startsWith('function_call')) assert.equal(typeof item.call_id, 'string');
}

describe('a thread that used tools, continued by either SDK', () => {
  let server: TestModelServer;
  let dir: string;
  before(async () => {
    server = await startTestModelServer({ deltaDelayMs: 0 });
    dir = mkdtempSync(join(tmpdir(), 'session-chat-sdk-tools-'));
    setDefaultOpenAIClient(new OpenAI({ baseURL: server.baseUrl, apiKey: 'test', maxRetries: 0 }));
    setTracingDisabled(true);
  });
  after(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the TS SDK run() with a tool stores rows the Python SDK reads; the panel continues them, and run() continues the panel\'s', async () => {
    const file = join(dir, 'sessions.db');
    const session = new SqliteSession<AgentInputItem>('thread-t', file, { itemShape: 'agents-js' });
    const panel = new SqliteSession('thread-t', file);
    try {
      const readFile = tool({ name: 'read_file', description: 'Reads a file.', parameters: z.object({ path: z.string() }), execute: async ({ path }) => `content of ${path}` });
      const agent = new Agent({ name: 'Reader', model: 'test-model', tools: [readFile] });
      server.next({ calls: [{ name: 'read_file', arguments: { path: 'README.md' } }] });
      const first = await run(agent, 'read the readme', { session });
      assert.match(String(first.finalOutput), /The tool said: content of README\.md/);
      const stored = rows(file, 'thread-t');
      assert.deepEqual(stored.map((item) => item.type ?? item.role), ['message', 'function_call', 'function_call_output', 'message']);
      stored.forEach(assertPythonReadable);
      assert.equal(stored[2]!.output, 'content of README.md');

      // The panel answers a question of its own on that history, with a tool round of its own.
      await panel.addItems([userItem('and again [tool]')]);
      const settings = settingsFor(server.baseUrl, 'responses');
      const result = await runTurn({ source: new OpenAiCompatibleSource(settings), history: await panel.getItems(), settings, signal: new AbortController().signal, onDelta: () => {} });
      assert.equal(result.status, 'completed');
      await panel.addItems(result.status === 'completed' ? result.items : []);
      rows(file, 'thread-t').forEach(assertPythonReadable);

      // The TS SDK reads everything back in its own shape and continues.
      const again = await run(agent, 'one more', { session });
      assert.match(String(again.finalOutput), /Echo: one more/);
      const lastInput = sentEntries(modelRequests(server.requests).at(-1)!);
      assert.deepEqual(lastInput.filter((entry) => entry.type === 'function_call_output').map((entry) => entry.call_id), stored.filter((item) => item.type === 'function_call').map((item) => item.call_id).concat(rows(file, 'thread-t').filter((item) => item.type === 'function_call').slice(1).map((item) => item.call_id)));
      const items = await session.getItems();
      assert.deepEqual(items.filter((item) => item.type === 'function_call_result').map((item) => (item as { name: string }).name), ['read_file', 'get_current_time']);
    } finally {
      session.close();
      panel.close();
    }
  });
});
