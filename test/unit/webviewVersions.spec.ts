// Edit message, Regenerate answer, the version switcher and Fork thread from here, as a user meets
// them in the panel: labels (checked letter for letter), keys, focus and the messages posted.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Snapshot, ViewTurn, WebviewMessage } from '../../src/shared/protocol.ts';
import { startWebview } from './helpers/webviewHarness.ts';

function turn(id: number, question: string, answer: string, versions?: ViewTurn['versions']): ViewTurn {
  return { id, entries: [{ kind: 'user', rowId: id, text: question }, { kind: 'assistant', rowId: id + 1, text: answer }], ...(versions ? { versions } : {}) };
}

const snapshot: Snapshot = {
  thread: { id: 't1', title: 'Versions' },
  turns: [turn(1, 'First question', 'First answer'), turn(3, 'Second question', 'Second answer', { index: 2, count: 3 }), turn(5, 'Third question', 'Third answer')],
  hasOlder: false,
  canUndo: true,
  canRedo: false,
  model: 'm',
  lastRowId: 6,
};

function start() {
  const { window, api, root, send } = startWebview();
  const turnEl = (position: number): HTMLElement => {
    const found = root.querySelectorAll<HTMLElement>('.turn')[position];
    assert.ok(found, `turn ${position}`);
    return found;
  };
  const within = <T extends Element = HTMLButtonElement>(scope: Element, label: string): T => {
    const found = scope.querySelector<T & Element>(`[aria-label="${label}"]`);
    assert.ok(found, `element labelled ${label}`);
    return found;
  };
  const labelled = (label: string): HTMLElement[] => Array.from(root.querySelectorAll<HTMLElement>(`[aria-label="${label}"]`));
  const key = (target: Element, init: KeyboardEventInit): boolean => target.dispatchEvent(new window.KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
  const type = (box: HTMLTextAreaElement, text: string): void => {
    box.value = text;
    box.dispatchEvent(new window.Event('input', { bubbles: true }));
  };
  const posted = (): WebviewMessage[] => api.posted.filter((message) => message.type !== 'ready');
  return { window, root, api, send, turnEl, within, labelled, key, type, posted, doc: window.document };
}

describe('webview: message actions', () => {
  test('every user message has "Edit message", every message "Fork thread from here", only the last answer "Regenerate answer"', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    assert.equal(ui.labelled('Edit message').length, 3);
    for (const button of ui.labelled('Edit message')) {
      assert.equal(button.tagName, 'BUTTON');
      assert.ok(button.closest('article.message.user'));
      assert.ok(button.querySelector('.codicon-edit'));
    }
    assert.equal(ui.labelled('Fork thread from here').length, 6);
    assert.ok(ui.labelled('Fork thread from here').every((button) => button.querySelector('.codicon-repo-forked')));
    const regenerate = ui.labelled('Regenerate answer');
    assert.equal(regenerate.length, 1);
    assert.ok(regenerate[0]?.closest('article.message.assistant'));
    assert.equal(regenerate[0]?.closest<HTMLElement>('.turn')?.dataset.turnId, '5', 'on the last answer');
    assert.ok(regenerate[0]?.querySelector('.codicon-refresh'));
  });

  test('the actions are buttons in the tab order (keyboard users reach them), with titles for the mouse', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    for (const label of ['Edit message', 'Fork thread from here', 'Regenerate answer', 'Previous version', 'Next version']) {
      for (const button of ui.labelled(label)) {
        assert.equal(button.tagName, 'BUTTON', label);
        assert.notEqual(button.tabIndex, -1, label);
        assert.equal(button.title, label);
      }
    }
  });

  test('no Regenerate while an answer streams (the last answer is the one coming)', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot: { ...snapshot, stream: { id: 'run1', text: 'Hal' } } });
    assert.equal(ui.labelled('Regenerate answer').length, 0);
    assert.equal(ui.labelled('Edit message').length, 3, 'editing stays possible: the host stops the answer first');
  });

  test('Regenerate posts turn/regenerate with the history it saw, and shows the question waiting for its new answer', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.labelled('Regenerate answer')[0]?.click();
    assert.deepEqual(ui.posted().at(-1), { type: 'turn/regenerate', id: 'req1', turnId: 5, expectedLastRowId: 6 });
    assert.doesNotMatch(ui.turnEl(2).textContent ?? '', /Third answer/);
    assert.match(ui.turnEl(2).textContent ?? '', /Third question/);
    assert.ok(ui.root.querySelector('article.streaming'), 'the new answer is on its way');
    ui.send({ type: 'chat/delta', id: 'req1', delta: 'A new third answer' });
    assert.match(ui.root.querySelector('article.streaming')?.textContent ?? '', /A new third answer/);
  });

  test('Fork thread from here posts thread/fork with its turn', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.within(ui.turnEl(0), 'Fork thread from here').click();
    ui.within(ui.turnEl(1).querySelector('article.assistant')!, 'Fork thread from here').click();
    assert.deepEqual(ui.posted(), [
      { type: 'thread/fork', turnId: 1 },
      { type: 'thread/fork', turnId: 3 },
    ]);
  });
});

describe('webview: the version switcher', () => {
  test('a turn with versions shows "Previous version", "2 / 3", "Next version"; others show none', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    assert.equal(ui.labelled('Previous version').length, 1);
    assert.equal(ui.labelled('Next version').length, 1);
    const switcher = ui.turnEl(1).querySelector('.version-switcher');
    assert.ok(switcher);
    assert.equal(switcher.querySelector('.version-label')?.textContent, '2 / 3');
    assert.equal(switcher.getAttribute('aria-label'), 'Version 2 of 3');
    assert.ok(ui.within(switcher, 'Previous version').querySelector('.codicon-chevron-left'));
    assert.ok(ui.within(switcher, 'Next version').querySelector('.codicon-chevron-right'));
    assert.ok(switcher.closest('article.message.assistant'), 'with the answer of the version shown');
    assert.equal(ui.turnEl(0).querySelector('.version-switcher'), null);
    assert.equal(ui.turnEl(2).querySelector('.version-switcher'), null);
    const unanswered: ViewTurn = { id: 9, entries: [{ kind: 'user', rowId: 9, text: 'asked again' }], versions: { index: 2, count: 2 } };
    ui.send({ type: 'thread/snapshot', snapshot: { ...snapshot, turns: [unanswered] } });
    assert.ok(ui.root.querySelector('.version-switcher')?.closest('article.message.user'), 'with the question while it has no answer');
  });

  test('Previous and Next post turn/switchVersion; at either end the button that leads nowhere is disabled', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.labelled('Previous version')[0]?.click();
    ui.labelled('Next version')[0]?.click();
    assert.deepEqual(ui.posted(), [
      { type: 'turn/switchVersion', turnId: 3, direction: 'previous', expectedLastRowId: 6 },
      { type: 'turn/switchVersion', turnId: 3, direction: 'next', expectedLastRowId: 6 },
    ]);
    const first = { ...snapshot, turns: [turn(1, 'q', 'a', { index: 1, count: 2 })] };
    ui.send({ type: 'thread/snapshot', snapshot: first });
    assert.equal((ui.labelled('Previous version')[0] as HTMLButtonElement).disabled, true);
    assert.equal((ui.labelled('Next version')[0] as HTMLButtonElement).disabled, false);
    ui.send({ type: 'thread/snapshot', snapshot: { ...snapshot, turns: [turn(1, 'q', 'a', { index: 2, count: 2 })] } });
    assert.equal(ui.root.querySelector('.version-label')?.textContent, '2 / 2');
    assert.equal((ui.labelled('Next version')[0] as HTMLButtonElement).disabled, true);
  });

  test('after a switch the focus stays on the switcher of that turn, even though the turn has new row ids', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    const previous = ui.labelled('Previous version')[0] as HTMLButtonElement;
    previous.focus();
    previous.click();
    // The host's answer: the turn now shows version 1 of 3, under new row ids.
    ui.send({ type: 'thread/snapshot', snapshot: { ...snapshot, turns: [snapshot.turns[0]!, turn(8, 'Old second', 'Old answer', { index: 1, count: 3 })], lastRowId: 9 } });
    const active = ui.doc.activeElement;
    assert.equal(active?.getAttribute('aria-label'), 'Next version', 'Previous is disabled at the first version, so its neighbour takes the focus');
    assert.equal(active?.closest<HTMLElement>('.turn')?.dataset.turnId, '8');
  });
});

describe('webview: editing a question in place', () => {
  test('"Edit message" opens the text in a box labelled "Edited message" with "Send edit" and "Cancel", focused', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.within(ui.turnEl(1), 'Edit message').click();
    const box = ui.within<HTMLTextAreaElement>(ui.turnEl(1), 'Edited message');
    assert.equal(box.tagName, 'TEXTAREA');
    assert.equal(box.value, 'Second question');
    assert.equal(ui.doc.activeElement, box);
    assert.equal(ui.within(ui.turnEl(1), 'Send edit').textContent, 'Send edit');
    assert.equal(ui.within(ui.turnEl(1), 'Cancel').textContent, 'Cancel');
    assert.equal(ui.labelled('Edited message').length, 1, 'one box at a time');
    assert.equal(ui.turnEl(1).querySelector('[aria-label="Edit message"]'), null, 'no Edit button on the question being edited');
    assert.doesNotMatch(ui.turnEl(1).querySelector('article.user')?.textContent ?? '', /Second questionSecond/);
    assert.equal(ui.posted().length, 0, 'opening the box changes nothing yet');
  });

  test('"Send edit" posts turn/edit with the new text and the history it saw; the old turn and what followed leave the screen', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.within(ui.turnEl(1), 'Edit message').click();
    ui.type(ui.within<HTMLTextAreaElement>(ui.turnEl(1), 'Edited message'), 'A better second question');
    ui.within(ui.turnEl(1), 'Send edit').click();
    assert.deepEqual(ui.posted(), [{ type: 'turn/edit', id: 'req1', turnId: 3, text: 'A better second question', expectedLastRowId: 6 }]);
    const text = ui.root.querySelector('[role="log"]')?.textContent ?? '';
    assert.match(text, /First question/);
    assert.doesNotMatch(text, /Second question|Third question/);
    assert.match(text, /A better second question/);
    assert.equal(ui.labelled('Edited message').length, 0, 'the box closed');
    assert.equal(ui.doc.activeElement, ui.within(ui.root, 'Message'), 'the cursor is back in the message box');
  });

  test('Enter sends and Shift+Enter makes a new line, as in the message box', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.within(ui.turnEl(0), 'Edit message').click();
    const box = ui.within<HTMLTextAreaElement>(ui.turnEl(0), 'Edited message');
    ui.type(box, 'line one');
    assert.equal(ui.key(box, { key: 'Enter', shiftKey: true }), true, 'Shift+Enter is left to the box');
    assert.equal(ui.posted().length, 0);
    assert.equal(ui.key(box, { key: 'Enter' }), false, 'Enter is taken');
    assert.deepEqual(ui.posted(), [{ type: 'turn/edit', id: 'req1', turnId: 1, text: 'line one', expectedLastRowId: 6 }]);
  });

  test('empty text is refused: Send edit is disabled and Enter sends nothing', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.within(ui.turnEl(0), 'Edit message').click();
    const box = ui.within<HTMLTextAreaElement>(ui.turnEl(0), 'Edited message');
    ui.type(box, '   \n ');
    assert.equal(ui.within(ui.turnEl(0), 'Send edit').disabled, true);
    ui.key(box, { key: 'Enter' });
    ui.within(ui.turnEl(0), 'Send edit').click();
    assert.deepEqual(ui.posted(), []);
    assert.equal(ui.labelled('Edited message').length, 1, 'the box stays open');
    ui.type(box, 'x');
    assert.equal(ui.within(ui.turnEl(0), 'Send edit').disabled, false);
  });

  test('Escape and Cancel leave the question as it was and put the focus back on its Edit button', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.within(ui.turnEl(2), 'Edit message').click();
    const box = ui.within<HTMLTextAreaElement>(ui.turnEl(2), 'Edited message');
    ui.type(box, 'never sent');
    assert.equal(ui.key(box, { key: 'Escape' }), false);
    assert.equal(ui.labelled('Edited message').length, 0);
    assert.match(ui.turnEl(2).textContent ?? '', /Third question/);
    assert.doesNotMatch(ui.root.textContent ?? '', /never sent/);
    assert.equal(ui.doc.activeElement, ui.within(ui.turnEl(2), 'Edit message'));

    ui.within(ui.turnEl(2), 'Edit message').click();
    assert.equal(ui.within<HTMLTextAreaElement>(ui.turnEl(2), 'Edited message').value, 'Third question', 'a cancelled edit starts again from the question');
    ui.within(ui.turnEl(2), 'Cancel').click();
    assert.equal(ui.labelled('Edited message').length, 0);
    assert.deepEqual(ui.posted(), []);
  });

  test('the text typed stays while snapshots arrive, and the box closes when its turn is gone', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.within(ui.turnEl(1), 'Edit message').click();
    ui.type(ui.within<HTMLTextAreaElement>(ui.turnEl(1), 'Edited message'), 'half typed');
    ui.send({ type: 'thread/snapshot', snapshot: { ...snapshot, canRedo: true } });
    assert.equal(ui.within<HTMLTextAreaElement>(ui.turnEl(1), 'Edited message').value, 'half typed');
    ui.send({ type: 'thread/snapshot', snapshot: { ...snapshot, turns: [snapshot.turns[0]!] } });
    assert.equal(ui.labelled('Edited message').length, 0);
  });

  test('a refused edit (the thread changed in another window) ends the wait; the next snapshot shows the thread as it is', () => {
    const ui = start();
    ui.send({ type: 'thread/snapshot', snapshot });
    ui.within(ui.turnEl(1), 'Edit message').click();
    ui.type(ui.within<HTMLTextAreaElement>(ui.turnEl(1), 'Edited message'), 'stale edit');
    ui.within(ui.turnEl(1), 'Send edit').click();
    ui.send({ type: 'chat/error', id: 'req1', error: { message: 'The thread changed in another window, so the edit was not made.', actions: [] } });
    assert.equal(ui.root.querySelector('article.streaming'), null);
    ui.send({ type: 'thread/snapshot', snapshot: { ...snapshot, lastRowId: 8 } });
    assert.match(ui.root.querySelector('[role="log"]')?.textContent ?? '', /Second question.*Third question/s);
    assert.equal((ui.within(ui.root, 'Send') as HTMLButtonElement).disabled, true, 'nothing is running');
  });
});
