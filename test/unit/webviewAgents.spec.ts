import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Snapshot } from '../../src/shared/protocol.ts';
import { atQuery, matchingAgents, pickerAgents } from '../../src/webview/agentPicker.ts';
import { startWebview } from './helpers/webviewHarness.ts';

const agents = [
  { name: '', detail: 'You are a helpful assistant.' },
  { name: 'support', detail: 'Answers product questions' },
  { name: 'billing', detail: 'Answers invoices and refunds' },
  { name: 'bill-bot', detail: 'gpt-test-mini' },
];

const base: Snapshot = { thread: { id: 't1', title: '' }, turns: [], hasOlder: false, canUndo: false, canRedo: false, model: 'gpt-test' };

function start(snapshot: Snapshot) {
  const ui = startWebview();
  ui.send({ type: 'thread/snapshot', snapshot });
  const doc = ui.window.document;
  const picker = ui.root.querySelector<HTMLSelectElement>('select[aria-label="Agent"]');
  assert.ok(picker, 'the picker is in the page');
  const textarea = ui.root.querySelector<HTMLTextAreaElement>('textarea[aria-label="Message"]')!;
  const type = (text: string, cursor = text.length): void => {
    textarea.value = text;
    textarea.selectionStart = textarea.selectionEnd = cursor;
    textarea.dispatchEvent(new ui.window.Event('input'));
  };
  const key = (name: string): void => void textarea.dispatchEvent(new ui.window.KeyboardEvent('keydown', { key: name, bubbles: true, cancelable: true }));
  const list = () => doc.querySelector<HTMLElement>('.agent-completion')!;
  const options = () => (list().hidden ? [] : Array.from(list().querySelectorAll('[role="option"]'), (option) => option.textContent));
  return { ...ui, doc, picker, textarea, type, key, list, options };
}

describe('webview agents: words', () => {
  test('@word only at the very start of the message, up to the cursor', () => {
    assert.deepEqual(atQuery('@bil', 4), { query: 'bil' });
    assert.deepEqual(atQuery('@', 1), { query: '' });
    assert.equal(atQuery('ask @bil', 8), undefined);
    assert.equal(atQuery('@billing why', 12), undefined);
    assert.equal(atQuery(' @bil', 5), undefined);
  });

  test('names that start with the word come before names that contain it; the default agent is never offered', () => {
    assert.deepEqual(matchingAgents(agents, 'BIL').map((agent) => agent.name), ['billing', 'bill-bot']);
    assert.deepEqual(matchingAgents(agents, 'bot').map((agent) => agent.name), ['bill-bot']);
    assert.deepEqual(matchingAgents(agents, '').map((agent) => agent.name), ['support', 'billing', 'bill-bot']);
  });

  test('the default agent is offered first even when the host leaves it out', () => {
    assert.deepEqual(pickerAgents(agents.slice(1)).map((agent) => agent.name), ['', 'support', 'billing', 'bill-bot']);
    assert.deepEqual(pickerAgents(agents).map((agent) => agent.name), ['', 'support', 'billing', 'bill-bot']);
  });
});

describe('webview agents: the picker', () => {
  test('hidden while only the default agent exists', () => {
    const ui = start(base);
    assert.equal(ui.picker.hidden, true);
  });

  test('sits before Send, shows the current agent ("Default" for none) and posts agent/select', () => {
    const ui = start({ ...base, agents });
    assert.equal(ui.picker.hidden, false);
    const actions = Array.from(ui.picker.parentElement!.children);
    assert.ok(actions.indexOf(ui.picker) < actions.findIndex((node) => node.getAttribute('aria-label') === 'Send'), 'before the Send button');
    assert.deepEqual(Array.from(ui.picker.options, (option) => option.textContent), ['Default', 'support', 'billing', 'bill-bot']);
    assert.equal(ui.picker.selectedOptions[0]?.textContent, 'Default');
    assert.equal(ui.picker.title, 'Agent: Default (You are a helpful assistant.)');
    ui.picker.value = 'billing';
    ui.picker.dispatchEvent(new ui.window.Event('change'));
    assert.deepEqual(ui.api.posted.at(-1), { type: 'agent/select', name: 'billing' });
    ui.send({ type: 'thread/snapshot', snapshot: { ...base, agents, agent: 'support' } });
    assert.equal(ui.picker.value, 'support', 'the host has the last word');
    ui.picker.value = '';
    ui.picker.dispatchEvent(new ui.window.Event('change'));
    assert.deepEqual(ui.api.posted.at(-1), { type: 'agent/select', name: '' });
  });
});

describe('webview agents: @ completion', () => {
  test('@ at the start offers the agents with their details; Enter puts "@name " in the box and does not send', () => {
    const ui = start({ ...base, agents });
    ui.type('@bil');
    assert.deepEqual(ui.options(), ['@billing — Answers invoices and refunds', '@bill-bot — gpt-test-mini']);
    assert.equal(ui.textarea.getAttribute('aria-expanded'), 'true');
    assert.equal(ui.textarea.getAttribute('aria-controls'), 'agent-completion');
    ui.key('ArrowDown');
    assert.equal(ui.textarea.getAttribute('aria-activedescendant'), 'agent-completion-1');
    ui.key('Enter');
    assert.equal(ui.textarea.value, '@bill-bot ');
    assert.equal(ui.textarea.selectionStart, 10);
    assert.equal(ui.list().hidden, true);
    assert.equal(ui.api.posted.some((message) => message.type === 'chat/send'), false, 'Enter chose instead of sending');
    ui.textarea.value += 'how much is it?';
    ui.key('Enter');
    const sent = ui.api.posted.find((message) => message.type === 'chat/send');
    assert.equal(sent?.type === 'chat/send' && sent.text, '@bill-bot how much is it?', 'sent as typed: the host reads the @name');
  });

  test('Tab chooses too, keeping the text after the cursor; a click chooses', () => {
    const ui = start({ ...base, agents });
    ui.type('@supwhat is new', 4);
    assert.deepEqual(ui.options(), ['@support — Answers product questions']);
    ui.key('Tab');
    assert.equal(ui.textarea.value, '@support what is new');
    ui.type('@b');
    ui.list().querySelectorAll('[role="option"]')[0]!.dispatchEvent(new ui.window.MouseEvent('mousedown', { bubbles: true, cancelable: true }));
    assert.equal(ui.textarea.value, '@billing ');
  });

  test('nothing is offered after the start, without agents, or for a name no agent has; Escape closes', () => {
    const ui = start({ ...base, agents });
    ui.type('ask @bil');
    assert.deepEqual(ui.options(), []);
    ui.type('@zzz');
    assert.deepEqual(ui.options(), []);
    ui.type('@');
    assert.equal(ui.options().length, 3);
    ui.key('Escape');
    assert.deepEqual(ui.options(), []);
    assert.equal(ui.textarea.value, '@', 'Escape leaves the text');
    const plain = start(base);
    plain.type('@bil');
    assert.deepEqual(plain.options(), []);
  });
});
