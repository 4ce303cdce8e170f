// The find bar and revealed messages in the real webview code, on a jsdom page: labels, keys, the
// count, loading older pages until a match is there, aria-current and what a screen reader hears.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Snapshot, ViewTurn, WebviewMessage } from '../../src/shared/protocol.ts';
import { startWebview } from './helpers/webviewHarness.ts';
import { findKeyAction, isFindShortcut } from '../../src/webview/findBar.ts';

/** A turn whose user message is row `id` and whose answer is row `id + 1`. */
function turn(id: number, words = `question ${id}`): ViewTurn {
  return { id, entries: [{ kind: 'user', text: words, rowId: id }, { kind: 'assistant', text: `answer ${id}`, rowId: id + 1 }] };
}

function snapshot(threadId: string, turns: ViewTurn[], olderId?: number): Snapshot {
  const page = olderId === undefined ? { hasOlder: false } : { hasOlder: true, olderId };
  return { thread: { id: threadId, title: 'Zoo' }, turns, ...page, canUndo: true, canRedo: false, model: 'm' };
}

/** Lets replies settle (they resolve promises) and the find bar's pause (0 ms here) pass. */
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

function start() {
  const scrolled: Element[] = [];
  const { window, api, root, send } = startWebview({
    findDelayMs: 0,
    // jsdom has no layout: record what would be scrolled into view.
    prepare: (win) => {
      win.HTMLElement.prototype.scrollIntoView = function (this: Element) {
        scrolled.push(this);
      };
    },
  });
  const byLabel = <T extends Element = HTMLButtonElement>(label: string): T => {
    const found = root.querySelector<T & Element>(`[aria-label="${label}"]`);
    assert.ok(found, `element labelled ${label}`);
    return found;
  };
  const key = (target: EventTarget, init: KeyboardEventInit): void => void target.dispatchEvent(new window.KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
  const lastPosted = <T extends WebviewMessage['type']>(type: T): Extract<WebviewMessage, { type: T }> => {
    const found = api.posted.filter((message) => message.type === type).at(-1);
    assert.ok(found, `a ${type} was posted`);
    return found as Extract<WebviewMessage, { type: T }>;
  };
  const current = (): string[] => Array.from(root.querySelectorAll('article[aria-current="true"]'), (article) => (article as HTMLElement).dataset.rowId ?? '?');
  const status = (): string => root.querySelector('[role="status"]')?.textContent ?? '';
  return { window, root, api, send, byLabel, key, lastPosted, current, status, scrolled };
}

/** Opens the bar through the host's Find in Thread, types `query` and answers the search with `rowIds`. */
async function findWith(ui: ReturnType<typeof start>, query: string, rowIds: number[]): Promise<HTMLInputElement> {
  ui.send({ type: 'ui/openFind' });
  const input = ui.byLabel<HTMLInputElement>('Find in thread');
  input.value = query;
  input.dispatchEvent(new ui.window.Event('input', { bubbles: true }));
  await settle();
  const request = ui.lastPosted('thread/find');
  assert.equal(request.query, query);
  ui.send({ type: 'reply', id: request.id, ok: true, value: { rowIds } });
  await settle();
  return input;
}

describe('webview: find in thread', () => {
  test('the bar is labelled for screen readers and closed until Find in Thread opens it with the cursor in its box', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: snapshot('t1', [turn(40)]) });
    const bar = ui.root.querySelector<HTMLElement>('[role="search"]');
    assert.ok(bar);
    assert.equal(bar.hidden, true);
    ui.send({ type: 'ui/openFind' });
    assert.equal(bar.hidden, false);
    const input = ui.byLabel<HTMLInputElement>('Find in thread');
    assert.equal(input.placeholder, 'Find in thread');
    assert.equal(ui.window.document.activeElement, input);
    assert.equal(ui.byLabel('Previous match').querySelector('.codicon-arrow-down') !== null, true);
    assert.equal(ui.byLabel('Next match').querySelector('.codicon-arrow-up') !== null, true);
    assert.equal(bar.compareDocumentPosition(ui.root.querySelector('[role="log"]') as Node) & 4, 4, 'the bar sits above the messages');
  });

  test('Ctrl+F in the page opens the bar too; Escape closes it and returns to the message box', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: snapshot('t1', [turn(40)]) });
    ui.key(ui.window.document.body, { key: 'f', ctrlKey: true });
    const input = ui.byLabel<HTMLInputElement>('Find in thread');
    assert.equal(ui.window.document.activeElement, input);
    ui.key(input, { key: 'Escape' });
    assert.equal(ui.root.querySelector<HTMLElement>('[role="search"]')?.hidden, true);
    assert.equal(ui.window.document.activeElement, ui.byLabel('Message'));
  });

  test('typing searches the whole thread and shows the newest match; Enter walks to older ones, loading pages as needed', async () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: snapshot('t1', [turn(40), turn(50, 'where is the zebra')], 39) });
    const input = await findWith(ui, 'zebra', [5, 50]);
    const request = ui.lastPosted('thread/find');
    assert.deepEqual([request.threadId, request.query], ['t1', 'zebra']);
    assert.deepEqual(ui.current(), ['50']);
    assert.equal(ui.root.querySelector('.find-count')?.textContent, '1 of 2');
    assert.equal(ui.status(), '1 of 2: You said: where is the zebra');

    // Row 5 is older than the loaded turns: Enter loads the page that holds it (jsdom has no layout,
    // so the log counts as scrolled to the top and that page may be on its way already), then shows it.
    ui.key(input, { key: 'Enter' });
    const older = ui.lastPosted('thread/loadOlder');
    assert.equal(older.beforeId, 40);
    assert.deepEqual(ui.current(), [], 'the key press took the mark away');
    ui.send({ type: 'reply', id: older.id, ok: true, value: { turns: [turn(5, 'a zebra crossing'), turn(39)], hasOlder: false } });
    await settle();
    assert.deepEqual(ui.current(), ['5']);
    assert.equal(ui.root.querySelector('.find-count')?.textContent, '2 of 2');
    assert.equal((ui.scrolled.at(-1) as HTMLElement).dataset.rowId, '5');

    ui.key(input, { key: 'Enter', shiftKey: true });
    assert.deepEqual(ui.current(), ['50'], 'Shift+Enter goes back to the newer match');
    ui.byLabel('Next match').dispatchEvent(new ui.window.MouseEvent('mousedown', { bubbles: true }));
    ui.byLabel('Next match').click();
    assert.deepEqual(ui.current(), ['5'], 'the Next match button moves like Enter');
  });

  test('no match says "No results" in the bar and to screen readers', async () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: snapshot('t1', [turn(40)]) });
    await findWith(ui, 'okapi', []);
    assert.equal(ui.root.querySelector('.find-count')?.textContent, 'No results');
    assert.equal(ui.status(), 'No results for okapi');
    assert.equal(ui.byLabel('Next match').disabled, true);
  });

  test('Enter, Shift+Enter and Escape are read from the key; Ctrl+F (Cmd+F on macOS) opens the bar', () => {
    assert.equal(findKeyAction({ key: 'Enter', shiftKey: false }), 'next');
    assert.equal(findKeyAction({ key: 'Enter', shiftKey: true }), 'previous');
    assert.equal(findKeyAction({ key: 'Escape', shiftKey: false }), 'close');
    assert.equal(findKeyAction({ key: 'Enter', shiftKey: false, isComposing: true }), undefined);
    const ctrlF = { key: 'f', ctrlKey: true, metaKey: false, altKey: false, shiftKey: false };
    assert.equal(isFindShortcut(ctrlF, false), true);
    assert.equal(isFindShortcut(ctrlF, true), false);
    assert.equal(isFindShortcut({ ...ctrlF, ctrlKey: false, metaKey: true }, true), true);
    assert.equal(isFindShortcut({ ...ctrlF, shiftKey: true }, false), false);
  });
});

describe('webview: revealing a search result', () => {
  test('every message article carries the row id it shows', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: snapshot('t1', [turn(40), turn(50)]) });
    const rows = Array.from(ui.root.querySelectorAll('article'), (article) => (article as HTMLElement).dataset.rowId);
    assert.deepEqual(rows, ['40', '41', '50', '51']);
  });

  test('a reveal sent ahead of its thread loads older pages until the row is there, marks it and says what was found', async () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: snapshot('t0', [turn(2)]) });
    ui.send({ type: 'thread/reveal', threadId: 't1', rowId: 11, turnId: 10 });
    assert.equal(ui.api.posted.some((message) => message.type === 'thread/loadOlder'), false, 'nothing happens in the wrong thread');
    ui.send({ type: 'thread/snapshot', snapshot: snapshot('t1', [turn(40)], 30) });
    const first = ui.lastPosted('thread/loadOlder');
    assert.equal(first.beforeId, 40);
    ui.send({ type: 'reply', id: first.id, ok: true, value: { turns: [turn(20), turn(30)], hasOlder: true, olderId: 10 } });
    await settle();
    const second = ui.lastPosted('thread/loadOlder');
    assert.equal(second.beforeId, 20, 'still not there: the next older page');
    ui.send({ type: 'reply', id: second.id, ok: true, value: { turns: [turn(1), turn(10, 'the zebra question')], hasOlder: false } });
    await settle();
    assert.deepEqual(ui.current(), ['11'], 'the answer (row 11) is marked');
    assert.match(ui.status(), /^Found: Assistant: answer 10/);
    assert.equal((ui.scrolled.at(-1) as HTMLElement).dataset.rowId, '11');
  });

  test('the mark lasts until the next click or key press, or a snapshot of another thread', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: snapshot('t1', [turn(40)]) }, { type: 'thread/reveal', threadId: 't1', rowId: 40, turnId: 40 });
    assert.deepEqual(ui.current(), ['40']);
    ui.root.querySelector('[role="log"]')?.dispatchEvent(new ui.window.MouseEvent('mousedown', { bubbles: true }));
    assert.deepEqual(ui.current(), []);

    ui.send({ type: 'thread/reveal', threadId: 't1', rowId: 40, turnId: 40 });
    assert.deepEqual(ui.current(), ['40']);
    ui.key(ui.window.document.body, { key: 'ArrowUp' });
    assert.deepEqual(ui.current(), []);

    ui.send({ type: 'thread/reveal', threadId: 't1', rowId: 40, turnId: 40 });
    ui.send({ type: 'thread/snapshot', snapshot: snapshot('t2', [turn(40)]) });
    assert.deepEqual(ui.current(), []);
  });

  test('a match in a tool output opens the collapsed tool call that shows it', () => {
    const ui = start();
    const tools: ViewTurn = {
      id: 60,
      entries: [
        { kind: 'user', text: 'read it', rowId: 60 },
        { kind: 'tool', name: 'readFile', args: '{}', rowId: 61, output: 'zebra.ts', outputRowId: 62 },
        { kind: 'assistant', text: 'done', rowId: 63 },
      ],
    };
    ui.send({ type: 'thread/snapshot', snapshot: snapshot('t1', [tools]) }, { type: 'thread/reveal', threadId: 't1', rowId: 62, turnId: 60 });
    const details = ui.root.querySelector<HTMLDetailsElement>('details.tool-call');
    assert.equal(details?.open, true);
    assert.equal(ui.scrolled.at(-1), details);
    assert.deepEqual(ui.current(), ['61'], 'the answer article holding the call is marked');
    assert.match(ui.status(), /^Found: Assistant: Called readFile/);
  });
});

describe('webview: a pinned thread', () => {
  test('the header shows the pin and says "pinned" to screen readers', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: { ...snapshot('t1', [turn(40)]), thread: { id: 't1', title: 'Zoo', pinned: true } } });
    const pin = ui.root.querySelector<HTMLElement>('.thread-pin');
    assert.equal(pin?.hidden, false);
    assert.equal(ui.root.querySelector('h1')?.getAttribute('aria-label'), 'Zoo (pinned)');
    ui.send({ type: 'thread/snapshot', snapshot: snapshot('t1', [turn(40)]) });
    assert.equal(pin?.hidden, true);
  });
});
