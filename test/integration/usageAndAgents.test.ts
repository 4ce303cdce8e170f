import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SessionChatApi } from '../../src/host/api.ts';
import type { ThreadInfo } from '../../src/core/store/historyStore.ts';
import type { Snapshot } from '../../src/shared/protocol.ts';
import { fixtureUsage } from '../fixtures/usage.ts';
import { activateApi, command, openChat, panelShows, storeOf } from './support/extension.ts';
import { modelRequests, resetModelServer } from './support/modelServer.ts';

type Body = Record<string, unknown>;

/** The model requests' bodies since the last reset. */
async function sentBodies(): Promise<Body[]> {
  return (await modelRequests()).filter((request) => request.method === 'POST').map((request) => request.body as Body);
}

/** The messages (or input items) a request carried. */
function entries(body: Body): Body[] {
  return (body.input ?? body.messages) as Body[];
}

function setting(key: string, value: unknown): Thenable<void> {
  return vscode.workspace.getConfiguration('sessionChat').update(key, value, vscode.ConfigurationTarget.Global);
}

const lastAnswer = (snapshot: Snapshot) => snapshot.turns.at(-1)?.answer;

describe('usage, the context meter and agents', () => {
  let api: SessionChatApi;

  before(async () => {
    api = await activateApi();
    // The harness's model, whatever an earlier suite left in settings: its /models entry gives the window.
    await setting('model', 'test-model');
    await setting('modelSource', undefined);
    await openChat(api);
  });

  afterEach(async () => {
    for (const key of ['contextWindow', 'agents', 'trimHistory']) await setting(key, undefined);
    await api.selectAgent('');
  });

  it('shows each answer\'s tokens as the server reported them, sums them per thread, and follows Undo and Redo', async function () {
    this.timeout(60_000);
    const thread = await command<ThreadInfo>('newThread', { title: 'Usage' });
    await resetModelServer();
    assert.equal((await api.send('How much does this cost?')).status, 'completed');
    assert.equal((await api.send('And this one?')).status, 'completed');
    const bodies = await sentBodies();
    assert.equal(bodies.length, 2);
    const answers = (await storeOf(api).getItems(thread.id)).filter((item) => item.role === 'assistant');
    const text = (index: number) => (answers[index]!.content as Array<{ text: string }>)[0]!.text;
    const expected = [0, 1].map((index) => fixtureUsage(bodies[index]!, { kind: 'text', deltas: [text(index)], delayMs: 0 }, entries(bodies[index]!).length));

    const both = await panelShows(api, (s) => s.thread.id === thread.id && s.usage?.answers === 2, 'two answers counted');
    assert.deepEqual(lastAnswer(both)?.usage, { input: expected[1]!.input, output: expected[1]!.output, cached: expected[1]!.cached, estimated: false });
    assert.equal(lastAnswer(both)?.model, 'test-model');
    assert.deepEqual(both.usage, { input: expected[0]!.input + expected[1]!.input, output: expected[0]!.output + expected[1]!.output, cached: expected[0]!.cached + expected[1]!.cached, estimated: false, answers: 2 });

    await command('undoTurn');
    const undone = await panelShows(api, (s) => s.thread.id === thread.id && s.usage?.answers === 1, 'the undone answer no longer counted');
    assert.equal(undone.usage?.input, expected[0]!.input);
    await command('redoTurn');
    const redone = await panelShows(api, (s) => s.thread.id === thread.id && s.usage?.answers === 2, 'the redone answer counted again');
    assert.deepEqual(lastAnswer(redone)?.usage, lastAnswer(both)?.usage, 'the redone turn shows its usage again');
    await command('deleteThread', { threadId: thread.id, confirm: false });
  });

  it('the meter counts what the next request sends; a small window trims old turns from the request, not from the store', async function () {
    this.timeout(90_000);
    const thread = await command<ThreadInfo>('newThread', { title: 'Meter' });
    // The test model's /models entry says 32,000 tokens (context_length).
    const fromModel = await panelShows(api, (s) => s.thread.id === thread.id && s.context?.windowFrom === 'model', 'the window from the model\'s metadata');
    assert.equal(fromModel.context?.window, 32_000);
    assert.equal(fromModel.context?.level, 'ok');

    // Room for the tools' definitions (about 530 tokens), the newest two turns and a system prompt an earlier suite may have set.
    await setting('contextWindow', 2_000);
    await panelShows(api, (s) => s.context?.windowFrom === 'setting' && s.context.window === 2_000, 'the window from sessionChat.contextWindow');
    const long = 'x'.repeat(800);
    await resetModelServer();
    for (let index = 1; index <= 6; index++) assert.equal((await api.send(`question ${index} ${long}`)).status, 'completed');
    const bodies = await sentBodies();
    const lastSent = entries(bodies.at(-1)!);
    assert.ok(lastSent.length < 11, `the last request sent ${lastSent.length} of 11 items`);
    assert.ok(JSON.stringify(lastSent).includes('question 6'), 'the newest question is sent');
    assert.ok(!JSON.stringify(lastSent).includes('question 1 '), 'the oldest turn is left out');
    assert.equal((await storeOf(api).getItems(thread.id)).length, 12, 'every turn stays stored');
    const trimmed = await panelShows(api, (s) => s.thread.id === thread.id && (s.context?.trimmedTurns ?? 0) > 0, 'the meter says turns are trimmed');
    assert.equal(trimmed.context?.level, 'near', JSON.stringify(trimmed.context));
    assert.ok(trimmed.context!.used <= 2_000, `${trimmed.context!.used} tokens planned`);

    // Trimming off: the whole thread goes, and the meter says it does not fit.
    await setting('trimHistory', false);
    await panelShows(api, (s) => s.context?.level === 'over', 'the meter is over the window with trimming off');
    await command('deleteThread', { threadId: thread.id, confirm: false });
  });

  it('agents: the picker\'s agent and @name answer with their own instructions and model, each answer labelled, all in one session', async function () {
    this.timeout(60_000);
    const thread = await command<ThreadInfo>('newThread', { title: 'Agents' });
    await setting('agents', [
      { name: 'support', instructions: 'You are the support agent.' },
      { name: 'billing', instructions: 'You are the billing agent.', model: 'test-model-large' },
      // Unusable (a space in its name): left out with a warning; the others still work.
      { name: 'no good', instructions: 'x' },
    ]);
    const listed = await panelShows(api, (s) => s.agents?.length === 3, 'the picker lists the default and two agents');
    assert.deepEqual(listed.agents?.map((agent) => agent.name), ['', 'support', 'billing']);
    await api.selectAgent('support');
    await panelShows(api, (s) => s.agent === 'support', 'the picked agent');
    await resetModelServer();
    assert.equal((await api.send('My password does not work')).status, 'completed');
    assert.equal((await api.send('@billing why was I charged twice?')).status, 'completed');
    const [first, second] = await sentBodies();
    assert.equal(first!.instructions, 'You are the support agent.');
    assert.equal(first!.model, 'test-model');
    assert.equal(second!.instructions, 'You are the billing agent.');
    assert.equal(second!.model, 'test-model-large');
    assert.ok(JSON.stringify(entries(second!)).includes('Echo: My password does not work'), 'billing sees support\'s answer');
    const shown = await panelShows(api, (s) => s.thread.id === thread.id && s.turns.length === 2 && s.turns[1]?.answer?.agent === 'billing', 'both answers labelled');
    assert.equal(shown.turns[0]?.answer?.agent, 'support');
    assert.equal(shown.turns[1]?.answer?.model, 'test-model-large');

    // Back to the default agent: no agent label, the (empty) default system prompt.
    await api.selectAgent('');
    assert.equal((await api.send('Anything else?')).status, 'completed');
    const third = (await sentBodies())[2]!;
    assert.equal(third.instructions ?? null, null);
    const last = await panelShows(api, (s) => s.thread.id === thread.id && s.turns.length === 3 && s.turns[2]?.answer !== undefined, 'the third answer');
    assert.equal(last.turns[2]?.answer?.agent, undefined);
    await assert.rejects(api.selectAgent('nobody'), /no agent named "nobody"/);
    await command('deleteThread', { threadId: thread.id, confirm: false });
  });
});
