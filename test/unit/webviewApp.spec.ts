import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Snapshot, WebviewState } from '../../src/shared/protocol.ts';
import { startWebview } from './helpers/webviewHarness.ts';

/** Records what the webview posts and keeps its saved state, like VS Code's webview API. */
const snapshot: Snapshot = {
  thread: { id: 't1', title: 'Refactor the parser' },
  turns: [
    {
      id: 1,
      entries: [
        { kind: 'user', text: 'How do I read a file?' },
        { kind: 'tool', name: 'readFile', args: '{ "path": "a.ts" }', output: 'export const a = 1;' },
        { kind: 'reasoning', text: 'Think about fs.' },
        { kind: 'assistant', text: 'Use **fs**:\n\n```js\nconst fs = require("fs");\n```' },
        { kind: 'note', text: 'Web search item' },
      ],
    },
  ],
  hasOlder: false,
  canUndo: true,
  canRedo: false,
  model: 'gpt-test-mini',
};

function start(state?: WebviewState) {
  const { window, api, root, send } = startWebview({ state });
  const byLabel = <T extends Element = HTMLButtonElement>(label: string): T => {
    const found = root.querySelector<T & Element>(`[aria-label="${label}"]`);
    assert.ok(found, `element labelled ${label}`);
    return found;
  };
  const textarea = byLabel<HTMLTextAreaElement>('Message');
  const type = (text: string): void => {
    textarea.value = text;
    textarea.dispatchEvent(new window.Event('input'));
  };
  const enter = (): void => void textarea.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'Enter', cancelable: true }));
  return { window, root, api, send, byLabel, textarea, type, enter };
}

describe('webview app: structure a screen reader relies on', () => {
  test('a rendered snapshot has a log of articles labelled You/Assistant, a labelled box, Send and Stop', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    const log = ui.root.querySelector('[role="log"]');
    assert.ok(log);
    const labels = Array.from(log.querySelectorAll('article')).map((article) => article.getAttribute('aria-label') ?? '');
    assert.equal(labels.length, 2);
    assert.match(labels[0] ?? '', /^You said: How do I read a file\?/);
    assert.match(labels[1] ?? '', /^Assistant: Use fs: const fs/, 'read as plain text, not Markdown');
    assert.equal(ui.textarea.tagName, 'TEXTAREA');
    assert.equal(ui.byLabel('Send').tagName, 'BUTTON');
    assert.equal(ui.byLabel('Stop').tagName, 'BUTTON');
    assert.equal(ui.root.querySelector('[role="status"]')?.getAttribute('aria-live'), 'polite');
  });

  test('every button has an accessible name', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: { ...snapshot, error: { message: 'Bad key', actions: ['retry', 'setApiKey'] } } });
    for (const button of Array.from(ui.root.querySelectorAll('button'))) {
      const name = button.getAttribute('aria-label') ?? button.textContent?.trim() ?? '';
      assert.ok(name.length > 0, button.outerHTML);
    }
  });

  test('the header shows the thread title as written and no thread actions (VS Code shows those once, in the title bar); the footer selects the model', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: { ...snapshot, thread: { id: 't1', title: 'Refactor the parser in README.md' } } });
    assert.equal(ui.root.querySelector('h1')?.textContent, 'Refactor the parser in README.md');
    for (const label of ['Undo Last Turn', 'Redo Turn', 'New Thread', 'Switch Thread', 'Clear Thread']) {
      assert.equal(ui.root.querySelector(`[aria-label="${label}"]`), null, `no ${label} button in the page`);
    }
    assert.equal(ui.root.querySelector('header')?.querySelectorAll('button').length, 0);
    ui.byLabel('Model: gpt-test-mini. Select model').click();
    const commands = ui.api.posted.flatMap((m) => (m.type === 'command/run' ? [m.command] : []));
    assert.deepEqual(commands, ['selectModel']);
    assert.match(ui.root.querySelector('footer')?.textContent ?? '', /gpt-test-mini/);
  });

  test('tool calls, reasoning and notes render as compact rows, not JSON dumps', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    const tool = ui.root.querySelector('details.tool-call');
    assert.ok(tool);
    assert.equal(tool.hasAttribute('open'), false);
    assert.match(tool.querySelector('summary')?.textContent ?? '', /Called readFile/);
    assert.equal(ui.root.querySelector('details.reasoning')?.hasAttribute('open'), false);
    assert.match(ui.root.querySelector('.note')?.textContent ?? '', /Web search item/);
    assert.doesNotMatch(ui.root.textContent ?? '', /"kind"/);
  });

  test('an empty thread shows a friendly empty state', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: { ...snapshot, turns: [] } });
    assert.match(ui.root.querySelector('.empty-state')?.textContent ?? '', /Start a conversation/);
    assert.equal(ui.root.querySelectorAll('article').length, 0);
  });
});

describe('webview app: talking to the host', () => {
  test('says ready once at start', () => {
    const ui = start();
    assert.deepEqual(ui.api.posted, [{ type: 'ready' }]);
  });

  test('sending shows the message, streams deltas of its id only, and Stop aborts it', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.type('And write it?');
    ui.enter();
    assert.deepEqual(ui.api.posted.at(-1), { type: 'chat/send', id: 'req1', text: 'And write it?' });
    assert.equal(ui.textarea.value, '');
    assert.equal(ui.byLabel('Stop').hidden, false);
    assert.equal(ui.byLabel('Send').disabled, true);
    assert.match(ui.root.querySelector('[role="status"]')?.textContent ?? '', /Assistant is answering/);
    const articles = (): string[] => Array.from(ui.root.querySelectorAll('article')).map((a) => a.getAttribute('aria-label') ?? '');
    assert.match(articles().at(-2) ?? '', /^You said: And write it\?/);
    ui.send({ type: 'chat/delta', id: 'req1', delta: 'Use `fs.write' }, { type: 'chat/delta', id: 'other', delta: 'NOISE' }, { type: 'chat/delta', id: 'req1', delta: 'File`.' });
    const streaming = ui.root.querySelector('article.streaming');
    assert.equal(streaming?.getAttribute('aria-busy'), 'true');
    assert.match(streaming?.textContent ?? '', /Use fs\.writeFile\./);
    assert.doesNotMatch(ui.root.textContent ?? '', /NOISE/);
    assert.match(articles().at(-2) ?? '', /^You said: And write it\?/, 'our message stays while the answer streams');
    ui.byLabel('Stop').click();
    assert.deepEqual(ui.api.posted.at(-1), { type: 'chat/abort', id: 'req1' });
    ui.send({ type: 'chat/done', id: 'req1', stopped: true });
    assert.equal(ui.byLabel('Stop').hidden, true);
    assert.match(ui.root.querySelector('[role="status"]')?.textContent ?? '', /^Stopped\. Assistant: Use fs\.writeFile/);
  });

  test('a snapshot taken mid-stream shows the partial answer and keeps streaming', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: { ...snapshot, stream: { id: 'run7', text: 'Half an ans' } } });
    ui.send({ type: 'chat/delta', id: 'run7', delta: 'wer' });
    assert.match(ui.root.querySelector('article.streaming')?.textContent ?? '', /Half an answer/);
    ui.byLabel('Stop').click();
    assert.deepEqual(ui.api.posted.at(-1), { type: 'chat/abort', id: 'run7' });
  });

  test('an error shows under the last message with its action buttons', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.type('Again');
    ui.enter();
    ui.send({ type: 'chat/error', id: 'req1', error: { message: 'The server rejected the API key (401).', actions: ['retry', 'setApiKey', 'openSettings', 'selectModel'] } });
    const alert = ui.root.querySelector('[role="log"] [role="alert"]');
    assert.ok(alert);
    assert.equal(ui.root.querySelector('[role="log"]')?.lastElementChild, alert);
    assert.match(alert.textContent ?? '', /rejected the API key/);
    const buttons = Array.from(alert.querySelectorAll('button'));
    assert.deepEqual(buttons.map((b) => b.textContent), ['Retry', 'Set API Key', 'Open Settings', 'Select Model']);
    buttons[1]?.click();
    assert.deepEqual(ui.api.posted.at(-1), { type: 'command/run', command: 'setApiKey' });
    buttons[0]?.click();
    assert.deepEqual(ui.api.posted.at(-1), { type: 'chat/retry', id: 'req2' });
    assert.equal(ui.root.querySelector('[role="alert"]'), null, 'the error goes away while retrying');
  });

  test('Copy and Insert at Cursor post the code of their block', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.byLabel('Copy code').click();
    ui.byLabel('Insert code at cursor').click();
    assert.deepEqual(ui.api.posted.slice(-2), [
      { type: 'code/copy', code: 'const fs = require("fs");' },
      { type: 'code/insert', code: 'const fs = require("fs");' },
    ]);
  });

  test('ui/focusInput puts the focus in the message box', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.byLabel('Model: gpt-test-mini. Select model').focus();
    ui.send({ type: 'ui/focusInput' });
    assert.equal(ui.window.document.activeElement, ui.textarea);
  });
});

describe('webview app: draft and long threads', () => {
  test('the draft is saved as typed and restored on reload', () => {
    const first = start();
    first.send({ type: 'thread/snapshot', snapshot });
    first.type('unfinished question');
    assert.equal(first.api.state?.draft, 'unfinished question');
    assert.equal(first.api.state?.threadId, 't1');
    const second = start(first.api.state);
    assert.equal(second.textarea.value, 'unfinished question');
  });

  test('older turns are requested before the oldest id and prepended in order', async () => {
    const ui = start();
    const page = { ...snapshot, turns: [{ id: 70, entries: [{ kind: 'user' as const, text: 'seven' }] }], hasOlder: true, olderId: 60 };
    ui.send({ type: 'thread/snapshot', snapshot: page });
    const request = ui.api.posted.find((m) => m.type === 'thread/loadOlder');
    assert.deepEqual(request, { type: 'thread/loadOlder', id: 'req1', beforeId: 70 });
    ui.send({ type: 'reply', id: 'req1', ok: true, value: { turns: [{ id: 60, entries: [{ kind: 'user', text: 'six' }] }], hasOlder: false } });
    await settled();
    const labels = Array.from(ui.root.querySelectorAll('article')).map((a) => a.getAttribute('aria-label'));
    assert.deepEqual(labels, ['You said: six', 'You said: seven']);
    assert.deepEqual(Array.from(ui.root.querySelectorAll<HTMLElement>('.turn'), (turn) => turn.dataset.turnId), ['60', '70']);
    assert.equal(ui.api.posted.filter((m) => m.type === 'thread/loadOlder').length, 1, 'no request once nothing older is left');
  });

  test('a failed older page leaves the shown turns and asks no more until the next snapshot', async () => {
    const ui = start();
    const page = { ...snapshot, turns: [{ id: 70, entries: [{ kind: 'user' as const, text: 'seven' }] }], hasOlder: true, olderId: 60 };
    ui.send({ type: 'thread/snapshot', snapshot: page });
    ui.send({ type: 'reply', id: 'req1', ok: false, error: 'database busy' });
    await settled();
    assert.equal(ui.root.querySelectorAll('article').length, 1);
    assert.equal(ui.api.posted.filter((m) => m.type === 'thread/loadOlder').length, 1);
    ui.send({ type: 'thread/snapshot', snapshot: page });
    assert.deepEqual(ui.api.posted.at(-1), { type: 'thread/loadOlder', id: 'req2', beforeId: 70 });
  });
});

/** Lets the replies' promises settle. */
function settled(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
