import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { JSDOM } from 'jsdom';
import { createComposer, isSendKey } from '../../src/webview/composer.ts';

function setup() {
  const { window } = new JSDOM('<!doctype html><body></body>');
  const sent: string[] = [];
  const drafts: string[] = [];
  let stops = 0;
  let recalls = 0;
  const composer = createComposer(window.document, {
    onSend: (text) => sent.push(text),
    onStop: () => stops++,
    onDraftChange: (draft) => drafts.push(draft),
    onRecall: () => ++recalls > 0,
  });
  window.document.body.append(composer.element);
  const type = (text: string): void => {
    composer.textarea.value = text;
    composer.textarea.dispatchEvent(new window.Event('input', { bubbles: true }));
  };
  const key = (init: KeyboardEventInit): boolean => composer.textarea.dispatchEvent(new window.KeyboardEvent('keydown', { bubbles: true, cancelable: true, ...init }));
  const button = (name: string): HTMLButtonElement => {
    const found = composer.element.querySelector<HTMLButtonElement>(`button[aria-label="${name}"]`);
    assert.ok(found, name);
    return found;
  };
  return { window, composer, sent, drafts, stops: () => stops, recalls: () => recalls, type, key, button };
}

describe('webview composer', () => {
  test('isSendKey: Enter sends, Shift+Enter and IME composition do not', () => {
    assert.equal(isSendKey({ key: 'Enter', shiftKey: false }), true);
    assert.equal(isSendKey({ key: 'Enter', shiftKey: true }), false);
    assert.equal(isSendKey({ key: 'Enter', shiftKey: false, isComposing: true }), false);
    assert.equal(isSendKey({ key: 'Enter', shiftKey: false, keyCode: 229 }), false);
    assert.equal(isSendKey({ key: 'a', shiftKey: false }), false);
  });

  test('Enter sends the text, clears the box and keeps focus in it', () => {
    const ui = setup();
    ui.composer.textarea.focus();
    ui.type('Explain this');
    const notCancelled = ui.key({ key: 'Enter' });
    assert.deepEqual(ui.sent, ['Explain this']);
    assert.equal(notCancelled, false, 'Enter must not also insert a newline');
    assert.equal(ui.composer.textarea.value, '');
    assert.equal(ui.drafts.at(-1), '');
    assert.equal(ui.window.document.activeElement, ui.composer.textarea);
  });

  test('Shift+Enter inserts a line instead of sending', () => {
    const ui = setup();
    ui.type('line one');
    assert.equal(ui.key({ key: 'Enter', shiftKey: true }), true);
    assert.deepEqual(ui.sent, []);
  });

  test('Enter during IME composition does not send', () => {
    const ui = setup();
    ui.type('nihon');
    ui.key({ key: 'Enter', isComposing: true });
    ui.composer.textarea.dispatchEvent(new ui.window.CompositionEvent('compositionstart'));
    ui.key({ key: 'Enter' });
    assert.deepEqual(ui.sent, []);
    ui.composer.textarea.dispatchEvent(new ui.window.CompositionEvent('compositionend'));
    ui.key({ key: 'Enter' });
    assert.deepEqual(ui.sent, ['nihon']);
  });

  test('Send is disabled while empty or busy; Stop shows only while busy', () => {
    const ui = setup();
    assert.equal(ui.button('Send').disabled, true);
    assert.equal(ui.button('Stop').hidden, true);
    ui.type('   ');
    assert.equal(ui.button('Send').disabled, true);
    ui.key({ key: 'Enter' });
    assert.deepEqual(ui.sent, []);
    ui.type('hello');
    assert.equal(ui.button('Send').disabled, false);
    ui.composer.setBusy(true);
    assert.equal(ui.button('Send').disabled, true);
    assert.equal(ui.button('Stop').hidden, false);
    ui.key({ key: 'Enter' });
    assert.deepEqual(ui.sent, [], 'no second request while one runs');
    ui.button('Stop').click();
    assert.equal(ui.stops(), 1);
  });

  test('typing reports the draft so it can be saved', () => {
    const ui = setup();
    ui.type('half a thought');
    assert.equal(ui.drafts.at(-1), 'half a thought');
  });

  test('Up in the empty box asks to recall the last question and keeps the key from moving the caret; with text it is an ordinary key', () => {
    const ui = setup();
    assert.equal(ui.key({ key: 'ArrowUp' }), false, 'handled: the default is prevented');
    assert.equal(ui.recalls(), 1);
    ui.type('draft');
    assert.equal(ui.key({ key: 'ArrowUp' }), true, 'not handled while the box has text');
    ui.type('');
    assert.equal(ui.key({ key: 'ArrowUp', shiftKey: true }), true, 'Shift+Up selects, as always');
    assert.equal(ui.recalls(), 1);
  });
});
