import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Snapshot, TurnPage, ViewTurn } from '../../src/shared/protocol.ts';
import type { StateMessage, ViewModel } from '../../src/webview/state.ts';
import { initialViewModel, isBusy, oldestId, prependOlder, reduce } from '../../src/webview/state.ts';

/** A turn whose first stored item has row id `id`. */
function turn(id: number, text = `question ${id}`): ViewTurn {
  return { id, entries: [{ kind: 'user', text }, { kind: 'assistant', text: `answer ${id}` }] };
}

function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return { thread: { id: 't1', title: 'Thread' }, turns: [turn(0)], hasOlder: false, canUndo: true, canRedo: false, model: 'gpt-test', ...overrides };
}

function host(model: ViewModel, ...messages: StateMessage[]): ViewModel {
  return messages.reduce((current, message) => reduce(current, { type: 'host', message }), model);
}

describe('webview state: snapshots and streams', () => {
  test('a snapshot replaces the shown turns and error', () => {
    const error = { message: 'No key', actions: ['setApiKey' as const] };
    const model = host(initialViewModel, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(3), turn(4)], error }) });
    assert.deepEqual(model.turns.map((t) => t.id), [3, 4]);
    assert.deepEqual(model.error, error);
    assert.equal(isBusy(model), false);
  });

  test('deltas append only to the stream with their id', () => {
    let model = reduce(host(initialViewModel, { type: 'thread/snapshot', snapshot: snapshot() }), { type: 'send', id: 'r1', text: 'hi' });
    assert.equal(isBusy(model), true);
    model = host(model, { type: 'chat/delta', id: 'r1', delta: 'Hel' }, { type: 'chat/delta', id: 'other', delta: 'XX' }, { type: 'chat/delta', id: 'r1', delta: 'lo' });
    assert.equal(model.stream?.text, 'Hello');
    assert.equal(model.stream?.userText, 'hi');
  });

  test('done keeps the answer until the next snapshot, which then replaces it', () => {
    let model = reduce(host(initialViewModel, { type: 'thread/snapshot', snapshot: snapshot() }), { type: 'send', id: 'r1', text: 'hi' });
    model = host(model, { type: 'chat/delta', id: 'r1', delta: 'Answer' }, { type: 'chat/done', id: 'r1', stopped: false });
    assert.equal(isBusy(model), false);
    assert.equal(model.stream?.text, 'Answer');
    model = host(model, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(0), turn(1)] }) });
    assert.equal(model.stream, undefined);
    assert.deepEqual(model.turns.map((t) => t.id), [0, 1]);
  });

  test('an error for the running request ends it and shows the error; other ids are ignored', () => {
    let model = reduce(host(initialViewModel, { type: 'thread/snapshot', snapshot: snapshot() }), { type: 'send', id: 'r1', text: 'hi' });
    const error = { message: 'Server said 500', actions: ['retry' as const] };
    assert.equal(host(model, { type: 'chat/error', id: 'zz', error }).error, undefined);
    model = host(model, { type: 'chat/error', id: 'r1', error });
    assert.equal(isBusy(model), false);
    assert.deepEqual(model.error, error);
  });

  test('our message stays on screen while streaming until a snapshot holds the stored copy', () => {
    let model = reduce(host(initialViewModel, { type: 'thread/snapshot', snapshot: snapshot() }), { type: 'send', id: 'r1', text: 'hi' });
    model = host(model, { type: 'chat/delta', id: 'r1', delta: 'Hel' });
    assert.equal(model.stream?.userText, 'hi');
    model = host(model, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(0), { id: 1, entries: [{ kind: 'user', text: 'hi' }] }], stream: { id: 'r1', text: 'Hel' } }) });
    assert.equal(model.stream?.userText, undefined);
    assert.equal(model.stream?.text, 'Hel');
  });

  test('a snapshot with a stream resumes it and accepts its deltas', () => {
    let model = host(initialViewModel, { type: 'thread/snapshot', snapshot: snapshot({ stream: { id: 's9', text: 'Par' } }) });
    model = host(model, { type: 'chat/delta', id: 's9', delta: 'tial' });
    assert.equal(model.stream?.text, 'Partial');
    assert.equal(isBusy(model), true);
  });

  test('a snapshot sent before the host saw our request keeps the request running, without a stale error', () => {
    let model = reduce(host(initialViewModel, { type: 'thread/snapshot', snapshot: snapshot() }), { type: 'send', id: 'r1', text: 'hi' });
    model = host(model, { type: 'thread/snapshot', snapshot: snapshot({ error: { message: 'old', actions: [] } }) });
    assert.equal(model.stream?.id, 'r1');
    assert.equal(model.error, undefined);
  });

  test('aborting a request the host never acknowledged ends it locally', () => {
    let model = reduce(host(initialViewModel, { type: 'thread/snapshot', snapshot: snapshot() }), { type: 'send', id: 'r1', text: 'hi' });
    model = reduce(model, { type: 'abort' });
    assert.equal(isBusy(model), false);
  });
});

/** A model showing `turns` (of thread t1) with the turn `olderId` just before them. */
function showing(turns: ViewTurn[], olderId?: number): ViewModel {
  return host(initialViewModel, { type: 'thread/snapshot', snapshot: snapshot({ turns, hasOlder: olderId !== undefined, olderId }) });
}

/** Asks for the page before the oldest turn shown and receives `page` as its reply. */
function loadOlder(model: ViewModel, page: TurnPage, id = 'o1'): ViewModel {
  return reduce(reduce(model, { type: 'loadOlder', id }), { type: 'olderLoaded', id, page });
}

const ids = (model: ViewModel): number[] => model.turns.map((t) => t.id);

describe('webview state: older pages', () => {
  test('a page that joins is prepended without duplicates, in id order', () => {
    const model = loadOlder(showing([turn(50), turn(61)], 40), { turns: [turn(40), turn(31), turn(50), turn(40)], hasOlder: false });
    assert.deepEqual(ids(model), [31, 40, 50, 61]);
    assert.equal(model.hasOlder, false);
    assert.equal(model.olderId, undefined);
    assert.equal(model.olderRequestId, undefined);
    assert.equal(oldestId(model), 31);
  });

  test('the joined page brings its own olderId for the next request', () => {
    const model = loadOlder(showing([turn(50)], 40), { turns: [turn(31), turn(40)], hasOlder: true, olderId: 22 });
    assert.deepEqual(ids(model), [31, 40, 50]);
    assert.equal(model.hasOlder, true);
    assert.equal(model.olderId, 22);
  });

  test('a page that does not end with the expected turn is ignored, and loading waits for the next snapshot', () => {
    const model = loadOlder(showing([turn(50)], 40), { turns: [turn(22), turn(31)], hasOlder: true, olderId: 10 });
    assert.deepEqual(ids(model), [50]);
    assert.equal(model.olderFailed, true);
    assert.equal(model.olderRequestId, undefined);
    assert.equal(host(model, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(50)], hasOlder: true, olderId: 40 }) }).olderFailed, false);
  });

  test('a reply to another request id changes nothing', () => {
    const model = reduce(showing([turn(5)], 4), { type: 'loadOlder', id: 'o1' });
    assert.equal(reduce(model, { type: 'olderLoaded', id: 'nope', page: { turns: [turn(4)], hasOlder: false } }), model);
    assert.equal(reduce(model, { type: 'olderFailed', id: 'nope' }), model);
  });

  test('a failed request stops further loading until the next snapshot', () => {
    let model = reduce(showing([turn(5)], 4), { type: 'loadOlder', id: 'o1' });
    model = reduce(model, { type: 'olderFailed', id: 'o1' });
    assert.equal(model.olderFailed, true);
    model = host(model, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(5)], hasOlder: true, olderId: 4 }) });
    assert.equal(model.olderFailed, false);
  });

  test('a new snapshot of the same thread keeps older turns that join it exactly', () => {
    const loaded = loadOlder(showing([turn(50), turn(61)], 40), { turns: [turn(31), turn(40)], hasOlder: true, olderId: 22 });
    const grown = host(loaded, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(50), turn(61), turn(70)], hasOlder: true, olderId: 40 }) });
    assert.deepEqual(ids(grown), [31, 40, 50, 61, 70]);
    assert.equal(grown.olderId, 22);
    // The newest page slid by one turn: the turn it names as its olderId is one we hold.
    const slid = host(loaded, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(61), turn(70)], hasOlder: true, olderId: 50 }) });
    assert.deepEqual(ids(slid), [31, 40, 50, 61, 70]);
    assert.equal(slid.hasOlder, true);
  });

  test('a snapshot whose olderId is not the newest older turn held drops the older turns', () => {
    const loaded = loadOlder(showing([turn(50), turn(61)], 40), { turns: [turn(31), turn(40)], hasOlder: true, olderId: 22 });
    // Another window edited the thread: the stored turns after 31 were replaced by new rows.
    const edited = host(loaded, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(90), turn(91)], hasOlder: true, olderId: 89 }) });
    assert.deepEqual(ids(edited), [90, 91]);
    assert.equal(edited.olderId, 89);
  });

  test('a snapshot of another thread, or one with nothing older, drops older turns', () => {
    const loaded = loadOlder(showing([turn(5)], 4), { turns: [turn(4)], hasOlder: true, olderId: 3 });
    const other = host(loaded, { type: 'thread/snapshot', snapshot: snapshot({ thread: { id: 't2', title: 'Other' }, turns: [turn(5)], hasOlder: true, olderId: 4 }) });
    assert.deepEqual(ids(other), [5]);
    const cleared = host(loaded, { type: 'thread/snapshot', snapshot: snapshot({ turns: [], hasOlder: false }) });
    assert.deepEqual(cleared.turns, []);
    const undone = host(loaded, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(4)], hasOlder: false }) });
    assert.deepEqual(ids(undone), [4]);
  });

  test('a request in flight survives a snapshot that still expects the same older turn', () => {
    const asking = reduce(showing([turn(50)], 40), { type: 'loadOlder', id: 'o1' });
    const same = host(asking, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(50), turn(61)], hasOlder: true, olderId: 40 }) });
    assert.equal(same.olderRequestId, 'o1');
    const moved = host(asking, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(90)], hasOlder: true, olderId: 89 }) });
    assert.equal(moved.olderRequestId, undefined, 'its page could no longer join: ask again from the new oldest turn');
  });

  test('snapshot turns are shown in id order, each once', () => {
    assert.deepEqual(ids(showing([turn(7), turn(3), turn(7)])), [3, 7]);
  });

  test('prependOlder keeps only turns older than the oldest shown, and only a page that joins', () => {
    const shown = { turns: [turn(2), turn(3)], hasOlder: true, olderId: 1 };
    assert.deepEqual(prependOlder(shown, { turns: [turn(1), turn(2), turn(9)], hasOlder: false })?.turns.map((t) => t.id), [1, 2, 3]);
    assert.equal(prependOlder(shown, { turns: [turn(0)], hasOlder: false }), undefined);
    assert.equal(prependOlder(shown, { turns: [], hasOlder: false }), undefined);
    assert.equal(prependOlder({ ...shown, hasOlder: false, olderId: undefined }, { turns: [turn(1)], hasOlder: false }), undefined);
  });
});
