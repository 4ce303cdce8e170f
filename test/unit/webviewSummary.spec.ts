import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Snapshot, ViewTurn } from '../../src/shared/protocol.ts';
import { initialViewModel, reduce } from '../../src/webview/state.ts';
import { summaryFold } from '../../src/webview/summaryFold.ts';
import { startWebview } from './helpers/webviewHarness.ts';

/** A question and its answer; the turn's id is its question's row id, the answer's is the next. */
function turn(id: number): ViewTurn {
  return { id, entries: [{ kind: 'user', rowId: id, text: `question ${id}` }, { kind: 'assistant', rowId: id + 1, text: `answer ${id}` }] };
}

/** A compaction: the summary of `turns` turns, with the `kept` newest before it still sent verbatim. */
function summaryTurn(id: number, turns: number, kept: number): ViewTurn {
  return { id, entries: [{ kind: 'summary', rowId: id, text: 'The user asked about **parsing**; we chose a recursive descent parser.', turns, kept }] };
}

const base: Snapshot = { thread: { id: 't1', title: 'Parser' }, turns: [], hasOlder: false, canUndo: true, canRedo: false, model: 'gpt-test' };

function start(snapshot: Snapshot) {
  const ui = startWebview();
  ui.send({ type: 'thread/snapshot', snapshot });
  const fold = () => ui.root.querySelector<HTMLDetailsElement>('details.summarised-turns');
  /** Ids of the turns inside the fold, and of those outside it, in page order. */
  const ids = () => ({
    folded: Array.from(fold()?.querySelectorAll<HTMLElement>('.turn') ?? [], (node) => Number(node.dataset.turnId)),
    shown: Array.from(ui.root.querySelectorAll<HTMLElement>('.message-log > .turn'), (node) => Number(node.dataset.turnId)),
  });
  const loadRequests = () => ui.api.posted.filter((message) => message.type === 'thread/loadOlder');
  return { ...ui, fold, ids, loadRequests };
}

function settled(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

describe('webview summary: which turns are folded', () => {
  test('every turn before the summary except the kept newest', () => {
    assert.deepEqual(summaryFold([turn(1), turn(3), turn(5), turn(7), summaryTurn(9, 3, 1), turn(10)]), { count: 3, summarised: 3, summaryId: 9 });
    assert.equal(summaryFold([turn(1), turn(3)]), undefined, 'no summary, no fold');
    assert.equal(summaryFold([turn(5), summaryTurn(9, 3, 1), turn(10)]), undefined, 'only the kept turn is loaded yet');
  });

  test('with two compactions the one reaching furthest decides', () => {
    const turns = [turn(1), turn(3), summaryTurn(5, 2, 0), turn(6), turn(8), summaryTurn(10, 4, 1), turn(11)];
    assert.deepEqual(summaryFold(turns), { count: 4, summarised: 4, summaryId: 10 });
  });

  test('the reducer keeps the summary entry and an older page that joins before it', () => {
    let model = reduce(initialViewModel, { type: 'host', message: { type: 'thread/snapshot', snapshot: { ...base, turns: [turn(5), summaryTurn(9, 3, 1), turn(10)], hasOlder: true, olderId: 3 } } });
    model = reduce(model, { type: 'loadOlder', id: 'r1' });
    model = reduce(model, { type: 'olderLoaded', id: 'r1', page: { turns: [turn(1), turn(3)], hasOlder: false } });
    assert.deepEqual(model.turns.map((shown) => shown.id), [1, 3, 5, 9, 10]);
    assert.deepEqual(summaryFold(model.turns), { count: 2, summarised: 3, summaryId: 9 });
  });
});

describe('webview summary: the card and the fold', () => {
  test('the summary is a card "Summary of N earlier turns" with its Markdown, and offers no Retry, Edit, Regenerate or Fork', () => {
    const ui = start({ ...base, turns: [turn(1), turn(3), turn(5), summaryTurn(9, 2, 1)] });
    const card = ui.root.querySelector<HTMLElement>('article.summary')!;
    assert.ok(card);
    assert.match(card.querySelector('.message-author')?.textContent ?? '', /^Summary of 2 earlier turns$/);
    assert.match(card.getAttribute('aria-label') ?? '', /^Summary of 2 earlier turns: The user asked about parsing;/);
    assert.equal(card.querySelector('.markdown-body strong')?.textContent, 'parsing', 'rendered as Markdown');
    assert.match(card.textContent ?? '', /the newest turn before it is still sent as it is\./);
    assert.equal(card.closest('.turn')?.querySelectorAll('button').length, 0, 'no action buttons on the summary');
    assert.equal(ui.root.querySelector('[aria-label="Regenerate answer"]'), null, 'the summary is the last turn, yet nothing offers to regenerate it');
  });

  test('the covered turns are folded into one closed disclosure, the kept one stays in view; opening shows them', async () => {
    const ui = start({ ...base, turns: [turn(1), turn(3), turn(5), summaryTurn(9, 2, 1), turn(10)] });
    const fold = ui.fold()!;
    assert.ok(fold);
    assert.equal(fold.open, false);
    assert.equal(fold.querySelector('summary')?.textContent, '2 earlier turns (summarised below)');
    assert.deepEqual(ui.ids(), { folded: [1, 3], shown: [5, 9, 10] });
    fold.querySelector('summary')!.click();
    await settled();
    assert.equal(fold.open, true);
    // A new snapshot (an answer arrived) keeps the fold, and keeps it open.
    ui.send({ type: 'thread/snapshot', snapshot: { ...base, turns: [turn(1), turn(3), turn(5), summaryTurn(9, 2, 1), turn(10), turn(12)] } });
    assert.equal(ui.fold(), fold);
    assert.equal(fold.open, true);
    assert.deepEqual(ui.ids(), { folded: [1, 3], shown: [5, 9, 10, 12] });
  });

  test('an older page that arrives later and precedes the summary is folded too; no more is loaded until the fold opens', async () => {
    const ui = start({ ...base, turns: [summaryTurn(9, 4, 1), turn(10)], hasOlder: true, olderId: 7 });
    assert.deepEqual(ui.loadRequests(), [{ type: 'thread/loadOlder', id: 'req1', beforeId: 9 }], 'the kept turn is not loaded yet: ask');
    ui.send({ type: 'reply', id: 'req1', ok: true, value: { turns: [turn(5), turn(7)], hasOlder: true, olderId: 3 } });
    await settled();
    assert.deepEqual(ui.ids(), { folded: [5], shown: [7, 9, 10] });
    assert.equal(ui.fold()?.querySelector('summary')?.textContent, '4 earlier turns (summarised below)', 'the summary knows how many, before all are loaded');
    assert.equal(ui.loadRequests().length, 1, 'a closed fold at the top asks for nothing more');
    ui.fold()!.open = true;
    await settled();
    assert.deepEqual(ui.loadRequests().at(-1), { type: 'thread/loadOlder', id: 'req2', beforeId: 5 }, 'opening the fold goes on paging');
    ui.send({ type: 'reply', id: 'req2', ok: true, value: { turns: [turn(1), turn(3)], hasOlder: false } });
    await settled();
    assert.deepEqual(ui.ids(), { folded: [1, 3, 5], shown: [7, 9, 10] });
    assert.equal(ui.fold()?.querySelector('summary')?.textContent, '3 earlier turns (summarised below)', 'everything is loaded: the count is what is folded');
  });

  test('the marker of earlier messages sits inside the fold', async () => {
    const ui = start({ ...base, turns: [turn(5), turn(7), summaryTurn(9, 4, 1)], hasOlder: true, olderId: 3 });
    assert.equal(ui.root.querySelector('.older-marker')?.parentElement?.classList.contains('summarised-body'), true);
  });

  test('a search result inside the fold opens it', async () => {
    const ui = start({ ...base, turns: [turn(1), turn(3), turn(5), summaryTurn(9, 2, 1)] });
    ui.send({ type: 'thread/reveal', threadId: 't1', rowId: 4, turnId: 3 });
    await settled();
    assert.equal(ui.fold()?.open, true);
    assert.equal(ui.root.querySelector('[aria-current="true"]')?.getAttribute('aria-label'), 'Assistant: answer 3');
  });

  test('Undo of the compaction unfolds: the covered turns are back in the log', () => {
    const ui = start({ ...base, turns: [turn(1), turn(3), turn(5), summaryTurn(9, 2, 1)] });
    assert.deepEqual(ui.ids(), { folded: [1, 3], shown: [5, 9] });
    ui.send({ type: 'thread/snapshot', snapshot: { ...base, turns: [turn(1), turn(3), turn(5)] } });
    assert.equal(ui.fold(), null);
    assert.deepEqual(ui.ids(), { folded: [], shown: [1, 3, 5] });
  });

  test('without a summary nothing is folded', () => {
    const ui = start({ ...base, turns: [turn(1), turn(3)] });
    assert.equal(ui.fold(), null);
    assert.deepEqual(ui.ids(), { folded: [], shown: [1, 3] });
  });
});
