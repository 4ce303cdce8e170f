import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostMessage, Snapshot, WebviewMessage } from '../../src/shared/protocol.ts';
import { startWebview } from './helpers/webviewHarness.ts';

const empty: Snapshot = { thread: { id: 't1', title: 'New thread' }, turns: [], hasOlder: false, canUndo: false, canRedo: false, model: 'gpt-4.1-mini' };

function start(snapshot: Snapshot) {
  const { window, api, root, send } = startWebview();
  send({ type: 'thread/snapshot', snapshot });
  const last = <T extends WebviewMessage['type']>(type: T) => api.posted.filter((message): message is Extract<WebviewMessage, { type: T }> => message.type === type).at(-1);
  const reply = (type: WebviewMessage['type'], value: unknown): void => {
    const request = last(type) as { id: string } | undefined;
    assert.ok(request, `a ${type} request`);
    send({ type: 'reply', id: request.id, ok: true, value } as HostMessage);
  };
  const group = () => root.querySelector<HTMLElement>('.setup-card [role="group"][aria-label="VS Code model"]');
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { window, root, last, reply, group, settle };
}

describe('webview: the setup card offers VS Code models', () => {
  test('with VS Code models the card offers them first; Use This Model writes the choice and the message box takes the cursor', async () => {
    const ui = start({ ...empty, setup: { reason: 'notChosen', baseUrl: 'https://api.openai.com/v1' } });
    ui.reply('setup/detect', {
      servers: [],
      vscodeModels: [
        { id: 'copilot-gpt-4o', name: 'GPT-4o', description: 'copilot · gpt-4o' },
        { id: 'session-chat-test-model', name: 'Test Model', description: 'session-chat-test · session-chat-test' },
      ],
    });
    await ui.settle();
    const group = ui.group();
    assert.ok(group && !group.hidden, 'the VS Code model choice shows');
    const groups = Array.from(ui.root.querySelectorAll('.setup-card [role="group"]')).map((node) => node.getAttribute('aria-label'));
    assert.equal(groups[0], 'VS Code model', `first of ${groups.join(', ')}`);
    const pick = group.querySelector('select');
    assert.ok(pick);
    assert.deepEqual(Array.from(pick.options).map((option) => option.textContent), ['GPT-4o (copilot · gpt-4o)', 'Test Model (session-chat-test · session-chat-test)']);
    pick.value = 'session-chat-test-model';
    Array.from(group.querySelectorAll('button')).find((button) => button.textContent?.trim() === 'Use This Model')?.click();
    assert.equal(ui.last('setup/useVscodeModel')?.model, 'session-chat-test-model');
    ui.reply('setup/useVscodeModel', { done: true });
    await ui.settle();
    assert.match(group.textContent ?? '', /Using Test Model/);
    assert.equal(ui.window.document.activeElement?.getAttribute('aria-label'), 'Message');
  });

  test('without VS Code models the choice stays hidden; settings that choose VS Code without a model say what to do', async () => {
    const ui = start({ ...empty, setup: { reason: 'noVscodeModel', baseUrl: 'https://api.openai.com/v1' } });
    ui.reply('setup/detect', { servers: [] });
    await ui.settle();
    assert.equal(ui.group()?.hidden, true);
    assert.match(ui.root.querySelector('.setup-reason')?.textContent ?? '', /VS Code has none\. Install or sign in to an extension that provides models/);
  });
});
