// The pure parts of Find in Thread and of revealing a stored message: the find bar's reducer and
// count, which way Next walks, and when a reveal must load older pages first.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Snapshot, ViewTurn } from '../../src/shared/protocol.ts';
import { findCount, initialFind, reduceFind, type FindEvent, type FindState } from '../../src/webview/findState.ts';
import { revealStep, turnOf, type RevealView } from '../../src/webview/reveal.ts';
import { initialViewModel, nextRevealStep, reduce, type ViewEvent, type ViewModel } from '../../src/webview/state.ts';

function find(...events: FindEvent[]): FindState {
  return events.reduce(reduceFind, { ...initialFind, open: true });
}

function turn(id: number): ViewTurn {
  return { id, entries: [{ kind: 'user', text: `question ${id}`, rowId: id }, { kind: 'assistant', text: `answer ${id}`, rowId: id + 1 }] };
}

function snapshot(threadId: string, turns: ViewTurn[], olderId?: number): Snapshot {
  const page = olderId === undefined ? { hasOlder: false } : { hasOlder: true, olderId };
  return { thread: { id: threadId, title: threadId }, turns, ...page, canUndo: false, canRedo: false, model: 'm' };
}

function run(model: ViewModel, ...events: ViewEvent[]): ViewModel {
  return events.reduce(reduce, model);
}

const shown = (threadId: string, turns: ViewTurn[], olderId?: number): ViewModel =>
  run(initialViewModel, { type: 'host', message: { type: 'thread/snapshot', snapshot: snapshot(threadId, turns, olderId) } });

describe('find bar state', () => {
  test('the count says nothing for an empty box, then Searching…, then "N results", "3 of 12" or "No results"', () => {
    assert.equal(findCount(find()), '');
    assert.equal(findCount(find({ type: 'findInput', query: '   ' })), '');
    const typed = find({ type: 'findInput', query: 'zebra' }, { type: 'findSearch', id: 'f1', query: 'zebra', reveal: false });
    assert.equal(findCount(typed), 'Searching…');
    const found = reduceFind(typed, { type: 'findResult', id: 'f1', rowIds: [4, 8, 15] });
    assert.equal(findCount(found), '3 results');
    assert.equal(findCount(reduceFind(found, { type: 'findStep', direction: 'next' })), '1 of 3');
    const none = reduceFind(find({ type: 'findInput', query: 'yak' }, { type: 'findSearch', id: 'f2', query: 'yak', reveal: true }), { type: 'findResult', id: 'f2', rowIds: [] });
    assert.equal(findCount(none), 'No results');
    assert.equal(findCount(reduceFind(find({ type: 'findInput', query: 'x' }, { type: 'findSearch', id: 'f3', query: 'x', reveal: true }), { type: 'findFailed', id: 'f3' })), 'Could not search');
  });

  test('the first match is the newest one; Next walks to older ones and wraps, Previous walks back', () => {
    let state = find({ type: 'findInput', query: 'zebra' }, { type: 'findSearch', id: 'f1', query: 'zebra', reveal: true }, { type: 'findResult', id: 'f1', rowIds: [4, 15, 8] });
    assert.deepEqual(state.matches, [15, 8, 4]);
    const visited = [state.matches[state.index]];
    for (let i = 0; i < 3; i++) {
      state = reduceFind(state, { type: 'findStep', direction: 'next' });
      visited.push(state.matches[state.index]);
    }
    assert.deepEqual(visited, [15, 8, 4, 15]);
    state = reduceFind(state, { type: 'findStep', direction: 'previous' });
    assert.equal(state.matches[state.index], 4, 'Previous from the newest wraps to the oldest');
    assert.equal(findCount(state), '3 of 3');
  });

  test('a reply to an older request is ignored; an empty box forgets the matches', () => {
    let state = find({ type: 'findInput', query: 'ze' }, { type: 'findSearch', id: 'f1', query: 'ze', reveal: true });
    state = reduceFind(state, { type: 'findInput', query: 'zebra' });
    state = reduceFind(state, { type: 'findSearch', id: 'f2', query: 'zebra', reveal: true });
    assert.equal(reduceFind(state, { type: 'findResult', id: 'f1', rowIds: [1, 2, 3] }), state);
    state = reduceFind(state, { type: 'findResult', id: 'f2', rowIds: [7] });
    assert.deepEqual([state.searched, state.matches, state.index], ['zebra', [7], 0]);
    state = reduceFind(state, { type: 'findInput', query: '' });
    assert.deepEqual([state.matches, state.index, findCount(state)], [[], -1, '']);
  });

  test('Enter before the reply came shows the first match as soon as it does', () => {
    let state = find({ type: 'findInput', query: 'zebra' }, { type: 'findSearch', id: 'f1', query: 'zebra', reveal: false });
    state = reduceFind(state, { type: 'findStep', direction: 'next' });
    state = reduceFind(state, { type: 'findResult', id: 'f1', rowIds: [3, 9] });
    assert.equal(state.matches[state.index], 9);
  });

  test('a search again (a new snapshot) keeps the match shown when it still matches', () => {
    let state = find({ type: 'findInput', query: 'zebra' }, { type: 'findSearch', id: 'f1', query: 'zebra', reveal: true }, { type: 'findResult', id: 'f1', rowIds: [3, 9] });
    state = reduceFind(state, { type: 'findStep', direction: 'next' });
    state = reduceFind(state, { type: 'findSearch', id: 'f2', query: 'zebra', reveal: false });
    state = reduceFind(state, { type: 'findResult', id: 'f2', rowIds: [3, 9, 20] });
    assert.deepEqual([state.matches, state.index, findCount(state)], [[20, 9, 3], 2, '3 of 3']);
  });
});

describe('revealing a stored row', () => {
  const view = (overrides: Partial<RevealView> = {}): RevealView => ({ threadId: 't1', turns: [turn(40), turn(50)], hasOlder: true, loading: false, loadFailed: false, ...overrides });

  test('a row inside the loaded turns is shown with its turn; one before them needs older pages first', () => {
    assert.deepEqual(revealStep({ threadId: 't1', rowId: 51, label: 'Found' }, view()), { kind: 'show', rowId: 51, turnId: 50 });
    assert.deepEqual(revealStep({ threadId: 't1', rowId: 40, label: 'Found' }, view()), { kind: 'show', rowId: 40, turnId: 40 });
    assert.deepEqual(revealStep({ threadId: 't1', rowId: 12, label: 'Found' }, view()), { kind: 'loadOlder' });
    assert.deepEqual(revealStep({ threadId: 't1', rowId: 12, label: 'Found' }, view({ loading: true })), { kind: 'wait' });
    assert.deepEqual(revealStep({ threadId: 't1', rowId: 12, label: 'Found' }, view({ loadFailed: true })), { kind: 'giveUp' });
  });

  test('it waits for a snapshot of its own thread; with nothing older it shows what is there', () => {
    assert.deepEqual(revealStep({ threadId: 't2', rowId: 51, label: 'Found' }, view()), { kind: 'wait' });
    assert.deepEqual(revealStep({ threadId: 't1', rowId: 12, turnId: 10, label: 'Found' }, view({ hasOlder: false })), { kind: 'show', rowId: 12, turnId: 10 });
  });

  test('a row belongs to the newest turn that starts at or before it', () => {
    const turns = [turn(10), turn(20), turn(30)];
    assert.deepEqual([turnOf(turns, 9), turnOf(turns, 10), turnOf(turns, 29), turnOf(turns, 99)], [undefined, 10, 20, 30]);
  });

  test('thread/reveal waits in the model, loads older pages, and marks the row once shown; a key press clears the mark', () => {
    let model = run(initialViewModel, { type: 'host', message: { type: 'thread/reveal', threadId: 't1', rowId: 5, turnId: 5 } });
    assert.deepEqual(nextRevealStep(model), { kind: 'wait' });
    model = run(model, { type: 'host', message: { type: 'thread/snapshot', snapshot: snapshot('t1', [turn(40)], 39) } });
    assert.deepEqual(nextRevealStep(model), { kind: 'loadOlder' });
    model = run(model, { type: 'loadOlder', id: 'o1' }, { type: 'olderLoaded', id: 'o1', page: { turns: [turn(5), turn(39)], hasOlder: false } });
    assert.deepEqual(nextRevealStep(model), { kind: 'show', rowId: 5, turnId: 5 });
    model = run(model, { type: 'revealed', rowId: 5 });
    assert.equal(model.reveal, undefined);
    assert.equal(model.current, 5);
    assert.equal(run(model, { type: 'userAction' }).current, undefined);
    assert.equal(run(model, { type: 'send', id: 'r1', text: 'next' }).current, undefined);
  });

  test('a snapshot of another thread clears the mark and the matches; one of the same thread keeps them', () => {
    let model = shown('t1', [turn(40)]);
    model = run(model, { type: 'findOpen' }, { type: 'findInput', query: 'q' }, { type: 'findSearch', id: 'f1', query: 'q', reveal: true }, { type: 'findResult', id: 'f1', rowIds: [40] });
    assert.deepEqual(model.reveal, { threadId: 't1', rowId: 40, label: '1 of 1' });
    model = run(model, { type: 'revealed', rowId: 40 });
    const same = run(model, { type: 'host', message: { type: 'thread/snapshot', snapshot: snapshot('t1', [turn(40), turn(50)]) } });
    assert.deepEqual([same.current, same.find.matches], [40, [40]]);
    const other = run(model, { type: 'host', message: { type: 'thread/snapshot', snapshot: snapshot('t2', [turn(7)]) } });
    assert.deepEqual([other.current, other.find.matches, other.find.open, other.find.query], [undefined, [], true, 'q']);
  });

  test('a reveal in progress is dropped when the user goes to another thread, but one sent ahead of its thread waits', () => {
    const working = run(shown('t1', [turn(40)], 39), { type: 'host', message: { type: 'thread/reveal', threadId: 't1', rowId: 3, turnId: 3 } });
    assert.equal(run(working, { type: 'host', message: { type: 'thread/snapshot', snapshot: snapshot('t2', [turn(7)]) } }).reveal, undefined);
    const ahead = run(shown('t2', [turn(7)]), { type: 'host', message: { type: 'thread/reveal', threadId: 't1', rowId: 3, turnId: 3 } });
    const stillOld = run(ahead, { type: 'host', message: { type: 'thread/snapshot', snapshot: snapshot('t2', [turn(7), turn(8)]) } });
    assert.equal(stillOld.reveal?.rowId, 3);
  });
});
