import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostMessage, Snapshot, WebviewMessage } from '../../src/shared/protocol.ts';
import { guessWireApi } from '../../src/webview/setupCard.ts';
import { startWebview } from './helpers/webviewHarness.ts';

const empty: Snapshot = { thread: { id: 't1', title: 'New thread' }, turns: [], hasOlder: false, canUndo: false, canRedo: false, model: 'gpt-4.1-mini' };
const notChosen: Snapshot = { ...empty, setup: { reason: 'notChosen', baseUrl: 'https://api.openai.com/v1' } };

function start() {
  const { window, api, root, send } = startWebview();
  const card = () => root.querySelector<HTMLElement>('.setup-card');
  const byLabel = <T extends HTMLElement>(label: string): T => {
    const found = Array.from(root.querySelectorAll<T>('label, button, select, input')).find(
      (node) => node.getAttribute('aria-label') === label || (node.tagName === 'LABEL' ? node.querySelector('.setup-label')?.textContent === label : node.textContent?.trim() === label),
    );
    assert.ok(found, `control ${label}`);
    return (found.tagName === 'LABEL' ? found.querySelector('input, select') : found) as T;
  };
  const last = <T extends WebviewMessage['type']>(type: T) => api.posted.filter((message): message is Extract<WebviewMessage, { type: T }> => message.type === type).at(-1);
  /** Answers the newest request of `type` with `value`. */
  const reply = (type: WebviewMessage['type'], value: unknown): void => {
    const request = last(type) as { id: string } | undefined;
    assert.ok(request, `a ${type} request`);
    send({ type: 'reply', id: request.id, ok: true, value } as HostMessage);
  };
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  const type = (input: HTMLInputElement, text: string): void => {
    input.value = text;
    input.dispatchEvent(new window.Event('input'));
  };
  return { window, root, api, send, card, byLabel, last, reply, settle, type };
}

describe('webview: the "Set up a model" card', () => {
  test('with no usable model the card replaces the empty state, headed "Set up a model", and looks for local servers', async () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: notChosen });
    const card = ui.card();
    assert.ok(card, 'the card shows');
    assert.equal(card.querySelector('h2')?.textContent, 'Set up a model');
    assert.equal(ui.root.querySelector('.empty-state'), null, 'instead of the empty state');
    assert.ok(ui.last('setup/detect'), 'asks the host which local servers answer');
    ui.reply('setup/detect', { servers: [{ name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1', models: ['llama3.2', 'qwen3'] }] });
    await ui.settle();
    assert.match(card.textContent ?? '', /Ollama at http:\/\/127\.0\.0\.1:11434\/v1/);
    ui.byLabel<HTMLSelectElement>('Ollama model').value = 'qwen3';
    ui.byLabel<HTMLButtonElement>('Use Ollama').click();
    assert.deepEqual({ ...ui.last('setup/apply'), id: undefined }, { type: 'setup/apply', id: undefined, baseUrl: 'http://127.0.0.1:11434/v1', model: 'qwen3', api: 'chat-completions' });
  });

  test('no local server: the card says so and offers to look again', async () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: notChosen });
    ui.reply('setup/detect', { servers: [] });
    await ui.settle();
    assert.match(ui.card()?.textContent ?? '', /No local server answers/);
    const before = ui.api.posted.filter((message) => message.type === 'setup/detect').length;
    ui.byLabel<HTMLButtonElement>('Look Again').click();
    assert.equal(ui.api.posted.filter((message) => message.type === 'setup/detect').length, before + 1);
  });

  test('an OpenAI-compatible server: List Models fills the model, Use This Server writes it, and the message box takes the cursor', async () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: notChosen });
    const url = ui.byLabel<HTMLInputElement>('Base URL');
    assert.equal(url.value, 'https://api.openai.com/v1', 'starts from the server in settings');
    assert.equal(ui.byLabel<HTMLSelectElement>('Wire API').value, 'responses');
    ui.type(url, 'http://127.0.0.1:9999/v1');
    assert.equal(ui.byLabel<HTMLSelectElement>('Wire API').value, 'chat-completions', 'guessed from the address');
    ui.byLabel<HTMLButtonElement>('List Models').click();
    assert.equal(ui.last('setup/listModels')?.baseUrl, 'http://127.0.0.1:9999/v1');
    ui.reply('setup/listModels', { models: ['test-model', 'test-model-large'], hasKey: false });
    await ui.settle();
    const model = ui.byLabel<HTMLInputElement>('Model');
    assert.equal(model.value, 'test-model');
    assert.deepEqual(Array.from(ui.root.querySelectorAll('datalist option')).map((option) => (option as HTMLOptionElement).value), ['test-model', 'test-model-large']);
    ui.byLabel<HTMLButtonElement>('Use This Server').click();
    const apply = ui.last('setup/apply');
    assert.deepEqual({ ...apply, id: undefined }, { type: 'setup/apply', id: undefined, baseUrl: 'http://127.0.0.1:9999/v1', model: 'test-model', api: 'chat-completions' });
    ui.reply('setup/apply', { done: true });
    await ui.settle();
    assert.equal(ui.window.document.activeElement?.getAttribute('aria-label'), 'Message');
    ui.send({ type: 'thread/snapshot', snapshot: { ...empty, model: 'test-model' } });
    assert.equal(ui.card(), null, 'gone once the host finds the model usable');
    assert.ok(ui.root.querySelector('.empty-state'));
  });

  test('a server that needs a key says so and puts the cursor on Enter API Key; a saved key lists the models again', async () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: { ...empty, setup: { reason: 'noKey', baseUrl: 'https://api.openai.com/v1' } } });
    assert.match(ui.card()?.textContent ?? '', /needs an API key/);
    ui.byLabel<HTMLButtonElement>('List Models').click();
    ui.reply('setup/listModels', { models: [], hasKey: false, problem: { kind: 'needsKey', message: 'This server needs an API key (401). Enter one to list its models.' } });
    await ui.settle();
    assert.match(ui.card()?.querySelector('[role="status"]')?.textContent ?? '', /needs an API key \(401\)/);
    assert.equal(ui.window.document.activeElement?.textContent?.trim(), 'Enter API Key…');
    (ui.window.document.activeElement as HTMLButtonElement).click();
    assert.equal(ui.last('setup/enterKey')?.baseUrl, 'https://api.openai.com/v1', 'the key is asked by the host, never typed into the page');
    const lists = ui.api.posted.filter((message) => message.type === 'setup/listModels').length;
    ui.reply('setup/enterKey', { done: true });
    await ui.settle();
    assert.equal(ui.api.posted.filter((message) => message.type === 'setup/listModels').length, lists + 1);
  });

  test('after a failed request that setup fixes, the card follows the error, and the error\'s button takes the cursor there', () => {
    const ui = start();
    const turn = { id: 1, entries: [{ kind: 'user' as const, text: 'hello' }] };
    ui.send({ type: 'thread/snapshot', snapshot: { ...empty, turns: [turn], error: { message: 'The server at http://127.0.0.1:9/v1 refused the connection. Is it running?', actions: ['retry', 'setupModel'] } } });
    const card = ui.card();
    assert.ok(card);
    const alert = ui.root.querySelector('[role="alert"]');
    assert.ok(alert && alert.compareDocumentPosition(card) & ui.window.Node.DOCUMENT_POSITION_FOLLOWING, 'the card comes after the error');
    const choose = Array.from(alert.querySelectorAll('button')).find((button) => button.textContent?.includes('Choose a Model Server'));
    assert.ok(choose);
    choose.click();
    assert.equal(ui.window.document.activeElement, ui.byLabel('Base URL'));
    ui.send({ type: 'thread/snapshot', snapshot: { ...empty, turns: [turn], error: { message: 'Rate limited (429).', actions: ['retry'] } } });
    assert.equal(ui.card(), null, 'an error setup cannot fix shows no card');
  });

  test('guessWireApi: OpenAI and Azure speak Responses, everything else Chat Completions', () => {
    assert.equal(guessWireApi('https://api.openai.com/v1'), 'responses');
    assert.equal(guessWireApi('https://me.openai.azure.com/openai/v1'), 'responses');
    assert.equal(guessWireApi('http://127.0.0.1:11434/v1'), 'chat-completions');
    assert.equal(guessWireApi('not a url'), 'chat-completions');
  });
});
