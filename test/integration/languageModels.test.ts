import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SessionChatApi } from '../../src/host/api.ts';
import type { ThreadInfo } from '../../src/core/store/historyStore.ts';
import type { Snapshot } from '../../src/shared/protocol.ts';
import { pickNth as pickRow } from './support/quickPick.ts';
import { activateApi, command, openChat, panelShows, storeOf } from './support/extension.ts';
import { modelRequests, resetModelServer } from './support/modelServer.ts';
import { waitFor } from './support/waitFor.ts';

/** The model test/fixtures/lm-provider registers through `vscode.lm.registerLanguageModelChatProvider`. */
const TEST_LM = 'session-chat-test-model';
const Global = vscode.ConfigurationTarget.Global;

interface Choice {
  source: 'openai-compatible' | 'vscode';
  model: string;
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('sessionChat').update(key, value, Global);
}

/** The user settings the harness wrote (the test server's base URL and model): put back after each change. */
const HARNESS_KEYS = ['modelSource', 'model', 'baseUrl', 'systemPrompt', 'tools.enabled'];
type SavedSettings = Map<string, unknown>;

function saveSettings(): SavedSettings {
  const config = vscode.workspace.getConfiguration('sessionChat');
  return new Map(HARNESS_KEYS.map((key) => [key, config.inspect(key)?.globalValue]));
}

async function restoreSettings(saved: SavedSettings): Promise<void> {
  for (const [key, value] of saved) await setSetting(key, value);
}

/** Select/accept the row `steps` down in the selectModel pick (see support/quickPick.ts). */
function pickNth(steps: number, settleMs: number): Promise<Choice | undefined> {
  return pickRow<Choice>('selectModel', steps, settleMs);
}

/** The assistant text of a snapshot's last turn. */
function lastAnswer(snapshot: Snapshot): string | undefined {
  const entry = snapshot.turns.at(-1)?.entries.find((candidate) => candidate.kind === 'assistant');
  return entry?.kind === 'assistant' ? entry.text : undefined;
}

describe("VS Code's Language Model API as the model source", () => {
  let api: SessionChatApi;
  let saved: SavedSettings;

  before(async function () {
    this.timeout(60_000);
    saved = saveSettings();
    api = await activateApi();
    await openChat(api);
    // The provider activates on startup finished: wait until VS Code offers its model.
    await waitFor(async () => (await vscode.lm.selectChatModels({ id: TEST_LM })).length > 0, 'the test provider to register its model', 30_000);
  });

  after(async () => {
    await restoreSettings(saved);
  });

  it("Select Model lists the server's models and the VS Code model in one pick, and writes the source with the model", async function () {
    this.timeout(90_000);
    await setSetting('modelSource', undefined);
    await setSetting('model', 'test-model');
    // Rows: the server's three test models, then the VS Code group's one model (separators are not rows).
    const offered: Choice[] = [];
    for (let step = 0; step < 4; step++) {
      let choice: Choice | undefined;
      for (let attempt = 1; attempt <= 3 && choice === undefined; attempt++) choice = await pickNth(step, 800 * attempt);
      assert.ok(choice, `row ${step} was picked`);
      offered.push(choice);
    }
    assert.deepEqual(offered, [
      { source: 'openai-compatible', model: 'test-model' },
      { source: 'openai-compatible', model: 'test-model-large' },
      { source: 'openai-compatible', model: 'test-model-small' },
      { source: 'vscode', model: TEST_LM },
    ]);
    // The last pick was the VS Code model: both settings say so, and the panel's footer shows it.
    const config = vscode.workspace.getConfiguration('sessionChat');
    assert.equal(config.get('modelSource'), 'vscode');
    assert.equal(config.get('model'), TEST_LM);
    await panelShows(api, (s) => s.model === TEST_LM, 'the VS Code model in the footer');
    // Picking a server model again switches the source back.
    assert.deepEqual(await pickNth(0, 1500), { source: 'openai-compatible', model: 'test-model' });
    assert.equal(vscode.workspace.getConfiguration('sessionChat').get('modelSource'), 'openai-compatible');
  });

  it('with a VS Code model the panel needs no key and no server: the setup card shows only for the server', async function () {
    this.timeout(60_000);
    // Nothing listens on port 9: for the server source that is "unreachable" and the panel offers setup.
    await setSetting('baseUrl', 'http://127.0.0.1:9/v1');
    try {
      await command('selectModel', { model: 'some-server-model', source: 'openai-compatible' });
      await openChat(api);
      await panelShows(api, (s) => s.setup?.reason === 'unreachable', 'the setup card for the unreachable server');
      await command('selectModel', { model: TEST_LM, source: 'vscode' });
      await openChat(api);
      await panelShows(api, (s) => s.setup === undefined && s.model === TEST_LM, 'no setup card with the VS Code model');
    } finally {
      await setSetting('baseUrl', saved.get('baseUrl'));
    }
  });

  describe('chatting with the VS Code model', () => {
    let thread: ThreadInfo;

    beforeEach(async () => {
      await command('selectModel', { model: TEST_LM, source: 'vscode' });
      thread = await command<ThreadInfo>('newThread', { title: 'VS Code model' });
      await resetModelServer();
    });

    afterEach(async () => {
      await setSetting('systemPrompt', saved.get('systemPrompt'));
      await command('deleteThread', { threadId: thread.id, confirm: false });
    });

    it('answers through vscode.lm: streamed into the panel, stored in the Responses shape, never sent to the server', async function () {
      this.timeout(60_000);
      const first = await api.send('hello lm');
      assert.equal(first.status, 'completed', JSON.stringify(first));
      const expected = 'LM echo: hello lm (I was sent 1 messages; instructions first: no; tool results: 0.)';
      assert.equal(first.text, expected);
      const shown = await panelShows(api, (s) => s.thread.id === thread.id && lastAnswer(s) === expected, 'the answer in the panel');
      const items = await storeOf(api).getItems(thread.id);
      assert.deepEqual(items.at(-1), { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: expected }] });
      assert.deepEqual(await modelRequests(), [], 'nothing went to the OpenAI-compatible server');
      // The API reports no usage: the model's own countTokens (the provider: ceil(chars / 4)) counted it.
      const usage = shown.turns.at(-1)?.answer?.usage;
      assert.ok(usage, `usage on the answer: ${JSON.stringify(shown.turns.at(-1)?.answer)}`);
      assert.equal(usage.input, Math.ceil('hello lm'.length / 4));
      assert.equal(usage.output, Math.ceil(expected.length / 4));
      assert.equal(usage.estimated, true, 'counted with the model\'s countTokens on our side, not reported: shown as estimated');

      // The system prompt goes first, as a delimited user message; the history follows.
      await setSetting('systemPrompt', 'Answer like a test.');
      const second = await api.send('and again');
      assert.equal(second.text, 'LM echo: and again (I was sent 4 messages; instructions first: yes; tool results: 0.)');
      await panelShows(api, (s) => s.thread.id === thread.id && s.turns.length === 2 && lastAnswer(s) === second.text, 'the second answer in the panel');
    });

    it("a tool call comes back as a stored function_call, and its output goes back to the model as a tool result", async function () {
      this.timeout(60_000);
      // With tools off the call is answered "not available" without an approval, and the model is asked again.
      await setSetting('tools.enabled', false);
      try {
        const result = await api.send('tool:list_files');
        assert.equal(result.status, 'completed', JSON.stringify(result));
        const items = await storeOf(api).getItems(thread.id);
        const expected = 'LM echo: tool:list_files (I was sent 3 messages; instructions first: no; tool results: 1.) Tools offered: 0.';
        assert.deepEqual(items.slice(-3), [
          { type: 'function_call', call_id: 'call_lm_1', name: 'list_files', arguments: '{"glob":"*"}', status: 'completed' },
          { type: 'function_call_output', call_id: 'call_lm_1', output: "The tool 'list_files' is not available in Session Chat. Answer without using tools." },
          { type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: expected }] },
        ]);
        await panelShows(api, (s) => s.thread.id === thread.id && lastAnswer(s) === expected, 'the answer after the tool round in the panel');
      } finally {
        await setSetting('tools.enabled', saved.get('tools.enabled'));
      }
    });

    it('Stop ends the answer mid-stream and keeps what arrived as an incomplete answer', async function () {
      this.timeout(60_000);
      const running = api.send('slow answer please');
      const streaming = await panelShows(api, (s) => s.thread.id === thread.id && s.stream !== undefined, 'the answer streaming');
      // Let a few of the 60 parts (100 ms apart) arrive.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(await api.stop(streaming.stream?.id ?? ''), true);
      const result = await running;
      assert.equal(result.status, 'stopped');
      assert.match(result.text, /^w0 w1 /);
      assert.doesNotMatch(result.text, /w59/, 'the provider was cancelled before its last part');
      const stored = (await storeOf(api).getItems(thread.id)).at(-1);
      assert.deepEqual(stored, { type: 'message', role: 'assistant', status: 'incomplete', content: [{ type: 'output_text', text: result.text }] });
      // Nothing arrives after Stop: the stored answer stays as it was.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.deepEqual((await storeOf(api).getItems(thread.id)).at(-1), stored);
    });

    it("a LanguageModelError becomes the clear words and buttons of its kind", async function () {
      this.timeout(60_000);
      const result = await api.send('fail:Blocked');
      assert.equal(result.status, 'failed');
      assert.equal(result.status === 'failed' ? result.error.kind : undefined, 'lmBlocked');
      const shown = await panelShows(api, (s) => s.thread.id === thread.id && s.error !== undefined, 'the error in the panel');
      assert.match(shown.error?.message ?? '', new RegExp(`VS Code is blocking Session Chat's requests to the VS Code model '${TEST_LM}'`));
      assert.deepEqual(shown.error?.actions, ['retry', 'selectModel']);
    });

    it('a model id VS Code does not have fails with Select Model to fix it', async function () {
      this.timeout(60_000);
      await setSetting('model', 'no-such-vscode-model');
      const result = await api.send('anyone there?');
      assert.equal(result.status === 'failed' ? result.error.kind : result.status, 'lmNotFound');
      const shown = await panelShows(api, (s) => s.thread.id === thread.id && s.error !== undefined, 'the error in the panel');
      assert.match(shown.error?.message ?? '', /no-such-vscode-model' is not available \(no model has this id; VS Code offers .*session-chat-test-model/);
      assert.equal(shown.error?.actions[0], 'selectModel');
    });
  });
});
