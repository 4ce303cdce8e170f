import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostMessage, Snapshot, ViewTurn } from '../../src/shared/protocol.ts';
import type { ViewModel } from '../../src/webview/state.ts';
import { initialViewModel, isBusy, oldestIndex, prependOlder, reduce } from '../../src/webview/state.ts';

function turn(index: number, text = `question ${index}`): ViewTurn {
  return { index, entries: [{ kind: 'user', text }, { kind: 'assistant', text: `answer ${index}` }] };
}

function snapshot(overrides: Partial<Snapshot> = {}): Snapshot {
  return { thread: { id: 't1', title: 'Thread' }, turns: [turn(0)], hasOlder: false, canUndo: true, canRedo: false, model: 'gpt-test', ...overrides };
}

function host(model: ViewModel, ...messages: HostMessage[]): ViewModel {
  return messages.reduce((current, message) => reduce(current, { type: 'host', message }), model);
}

describe('webview state: snapshots and streams', () => {
  test('a snapshot replaces the shown turns and error', () => {
    const error = { message: 'No key', actions: ['setApiKey' as const] };
    const model = host(initialViewModel, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(3), turn(4)], error }) });
    assert.deepEqual(model.turns.map((t) => t.index), [3, 4]);
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
    assert.deepEqual(model.turns.map((t) => t.index), [0, 1]);
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
    model = host(model, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(0), { index: 1, entries: [{ kind: 'user', text: 'hi' }] }], stream: { id: 'r1', text: 'Hel' } }) });
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

describe('webview state: older pages', () => {
  test('a reply prepends older turns without duplicates, in order', () => {
    let model = host(initialViewModel, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(5), turn(6)], hasOlder: true }) });
    model = reduce(model, { type: 'loadOlder', id: 'o1' });
    model = host(model, { type: 'reply', id: 'o1', ok: true, value: { turns: [turn(4), turn(3), turn(5), turn(4)], hasOlder: false } });
    assert.deepEqual(model.turns.map((t) => t.index), [3, 4, 5, 6]);
    assert.equal(model.hasOlder, false);
    assert.equal(model.olderRequestId, undefined);
    assert.equal(oldestIndex(model), 3);
  });

  test('a reply to another request id changes nothing', () => {
    const model = reduce(host(initialViewModel, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(5)], hasOlder: true }) }), { type: 'loadOlder', id: 'o1' });
    assert.equal(host(model, { type: 'reply', id: 'nope', ok: true, value: { turns: [turn(4)], hasOlder: false } }), model);
  });

  test('a failed reply stops further loading until the next snapshot', () => {
    let model = reduce(host(initialViewModel, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(5)], hasOlder: true }) }), { type: 'loadOlder', id: 'o1' });
    model = host(model, { type: 'reply', id: 'o1', ok: false, error: 'boom' });
    assert.equal(model.olderFailed, true);
    model = host(model, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(5)], hasOlder: true }) });
    assert.equal(model.olderFailed, false);
  });

  test('a new snapshot of the same thread keeps older pages that join it', () => {
    let model = host(initialViewModel, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(5), turn(6)], hasOlder: true }) });
    model = reduce(model, { type: 'loadOlder', id: 'o1' });
    model = host(model, { type: 'reply', id: 'o1', ok: true, value: { turns: [turn(3), turn(4)], hasOlder: true } });
    model = host(model, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(5), turn(6), turn(7)], hasOlder: true }) });
    assert.deepEqual(model.turns.map((t) => t.index), [3, 4, 5, 6, 7]);
  });

  test('a snapshot of another thread or a cleared thread drops older pages', () => {
    let model = host(initialViewModel, { type: 'thread/snapshot', snapshot: snapshot({ turns: [turn(5)], hasOlder: true }) });
    model = reduce(model, { type: 'loadOlder', id: 'o1' });
    model = host(model, { type: 'reply', id: 'o1', ok: true, value: { turns: [turn(4)], hasOlder: true } });
    const other = host(model, { type: 'thread/snapshot', snapshot: snapshot({ thread: { id: 't2', title: 'Other' }, turns: [turn(5)], hasOlder: true }) });
    assert.deepEqual(other.turns.map((t) => t.index), [5]);
    const cleared = host(model, { type: 'thread/snapshot', snapshot: snapshot({ turns: [], hasOlder: false }) });
    assert.deepEqual(cleared.turns, []);
  });

  test('prependOlder ignores turns not older than the oldest shown', () => {
    const result = prependOlder([turn(2), turn(3)], { turns: [turn(1), turn(2), turn(9)], hasOlder: false });
    assert.deepEqual(result.turns.map((t) => t.index), [1, 2, 3]);
  });
});
