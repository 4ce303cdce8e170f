import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { userItem } from '../../src/core/model/items.ts';
import { OpenAiCompatibleSource } from '../../src/core/model/openAiCompatibleSource.ts';
import { runTurn } from '../../src/core/model/runner.ts';
import type { TurnResult } from '../../src/core/model/types.ts';
import type { Item } from '../../src/core/session/session.ts';
import { DEFAULT_BLOCKED_FILES } from '../../src/core/tools/pathRules.ts';
import { WORKSPACE_TOOLS } from '../../src/core/tools/toolDefinitions.ts';
import { approvedTools, DENIED_TEXT, roundLimitText, STOPPED_TEXT, type ApprovalAnswer, type ToolCallRequest } from '../../src/core/tools/turnTools.ts';
import { WorkspaceTools } from '../../src/core/tools/workspaceTools.ts';
import { modelRequests, sentEntries, settingsFor, WIRE_APIS } from '../fixtures/runnerTestKit.ts';
import { startTestModelServer, type TestModelServer } from '../fixtures/testModelServer.ts';

let server: TestModelServer;
let root: string;
before(async () => {
  server = await startTestModelServer({ deltaDelayMs: 0 });
  root = mkdtempSync(join(tmpdir(), 'session-chat-rounds-'));
  writeFileSync(join(root, 'README.md'), '# Scratch project\nHello from the readme.\n');
  writeFileSync(join(root, '.env'), 'API_KEY=hunter2\n');
});
after(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});
beforeEach(() => server.reset());

/** A user at the approval prompt: answers each call in turn, and records what was asked. */
function user(answers: (ApprovalAnswer | ((call: ToolCallRequest, signal: AbortSignal) => Promise<ApprovalAnswer>))[]) {
  const asked: ToolCallRequest[] = [];
  return {
    asked,
    approve: async (call: ToolCallRequest, signal: AbortSignal): Promise<ApprovalAnswer> => {
      asked.push(call);
      const answer = answers.shift() ?? 'deny';
      return typeof answer === 'function' ? answer(call, signal) : answer;
    },
  };
}

async function ask(api: (typeof WIRE_APIS)[number], approve: ReturnType<typeof user>['approve'], maxRounds = 4, controller = new AbortController()): Promise<{ result: TurnResult; thread: Item[] }> {
  const settings = settingsFor(server.baseUrl, api);
  const tools = approvedTools(new WorkspaceTools({ policy: { folders: [{ name: 'scratch', root }], exclude: [], blocked: DEFAULT_BLOCKED_FILES, maxFileBytes: 100_000 }, problems: () => [] }), WORKSPACE_TOOLS, maxRounds, approve);
  const thread: Item[] = [userItem('What does the readme say?')];
  const result = await runTurn({ source: new OpenAiCompatibleSource(settings), history: [...thread], settings, signal: controller.signal, onDelta: () => {}, tools });
  if (result.status !== 'failed') thread.push(...result.items);
  return { result, thread };
}

/** The tool outputs a request carried, whatever the wire API. */
function sentOutputs(body: Record<string, unknown>): string[] {
  return sentEntries(body).flatMap((entry) => (entry.type === 'function_call_output' ? [String(entry.output)] : entry.role === 'tool' ? [String(entry.content)] : []));
}

for (const api of WIRE_APIS) {
  describe(`tool rounds over ${api}`, () => {
    test('the tools are offered; an allowed read_file sends the content, a blocked file is refused without asking, a denied call says so', async () => {
      server.next({ calls: [{ name: 'read_file', arguments: { path: 'README.md' } }, { name: 'read_file', arguments: { path: '.env' } }] });
      server.next({ calls: [{ name: 'list_files', arguments: { glob: '**/*' } }] });
      const person = user(['allow', 'deny']);
      const { result, thread } = await ask(api, person.approve);
      assert.equal(result.status, 'completed');
      assert.deepEqual(person.asked.map((call) => [call.name, call.arguments]), [['read_file', '{"path":"README.md"}'], ['list_files', '{"glob":"**/*"}']], '.env was never asked about');
      const [first, second, third] = modelRequests(server.requests);
      const offered = (first!.tools as Record<string, unknown>[]).map((tool) => tool.name ?? (tool.function as Record<string, unknown>).name);
      assert.deepEqual(offered, ['read_file', 'list_files', 'search_text', 'get_problems']);
      const [readme, env] = sentOutputs(second!);
      assert.equal(readme, 'README.md (lines 1-3 of 3)\n1: # Scratch project\n2: Hello from the readme.\n3: ');
      assert.match(env!, /^\.env is blocked by the setting sessionChat\.tools\.blockedFiles/);
      assert.doesNotMatch(JSON.stringify(server.requests), /hunter2/);
      assert.equal(sentOutputs(third!).at(-1), DENIED_TEXT);
      // Stored as calls each followed by their outputs, then the answer, in the Responses API's shape.
      assert.deepEqual(thread.map((item) => item.type ?? item.role), ['message', 'function_call', 'function_call', 'function_call_output', 'function_call_output', 'function_call', 'function_call_output', 'message']);
      for (const item of thread.filter((entry) => String(entry.type).startsWith('function_call'))) {
        assert.equal(typeof item.call_id, 'string');
        assert.equal(item.callId, undefined);
      }
      assert.match(result.text, /The tool said: The user denied this call\./);
    });

    test('Stop while a call waits for approval ends the turn with an output saying so: no call is left without one', async () => {
      server.next({ calls: [{ name: 'read_file', arguments: { path: 'README.md' } }, { name: 'search_text', arguments: { query: 'Hello' } }] });
      const controller = new AbortController();
      let waited = false;
      const person = user([(_call, signal) => new Promise((resolve) => {
        waited = true;
        signal.addEventListener('abort', () => resolve('stopped'), { once: true });
        setTimeout(() => controller.abort(), 20);
      })]);
      const { result, thread } = await ask(api, person.approve, 4, controller);
      assert.ok(waited);
      assert.equal(result.status, 'stopped');
      assert.deepEqual(thread.map((item) => item.type ?? item.role), ['message', 'function_call', 'function_call', 'function_call_output', 'function_call_output']);
      assert.deepEqual(thread.slice(3).map((item) => item.output), [STOPPED_TEXT, STOPPED_TEXT]);
      assert.equal(person.asked.length, 1, 'the second call is not asked about once the turn stopped');
      assert.equal(modelRequests(server.requests).length, 1);
    });

    test('the round limit answers further calls with a note and ends the turn', async () => {
      server.next({ calls: [{ name: 'list_files', arguments: { glob: '*.md' } }], times: 3 });
      const person = user(['allow', 'allow', 'allow']);
      const { result, thread } = await ask(api, person.approve, 2);
      assert.ok(result.status === 'completed' && result.toolLimit === 2);
      assert.equal(person.asked.length, 2);
      assert.equal(modelRequests(server.requests).length, 3);
      assert.equal(thread.at(-1)?.output, roundLimitText(2));
      assert.equal(thread.at(-2)?.type, 'function_call');
    });
  });
}
