// How the host puts versions and the expected last row into what the panel receives: the store
// counts versions from 0, the panel's switcher from 1 ("2 / 3"), and only turns with several get one.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toTurnPage, turnIdsOf, withVersions } from '../../src/core/view/paging.ts';
import { buildSnapshot } from '../../src/host/chat/snapshot.ts';
import { snapshotSchema, turnPageSchema } from '../../src/shared/protocol.ts';
import type { ItemPage } from '../../src/core/store/historyStore.ts';

const user = (content: string) => ({ type: 'message', role: 'user', content });
const assistant = (content: string) => ({ type: 'message', role: 'assistant', content });

const page: ItemPage = {
  items: [
    { rowId: 4, item: assistant('before any question') },
    { rowId: 10, item: user('q1') },
    { rowId: 11, item: assistant('a1') },
    { rowId: 14, item: user('q2') },
    { rowId: 15, item: assistant('a2') },
  ],
  hasOlder: false,
};

describe('versions in the protocol', () => {
  test('turnIdsOf names the turns as toTurnPage does', () => {
    assert.deepEqual(turnIdsOf(page), toTurnPage(page).turns.map((turn) => turn.id));
    assert.deepEqual(turnIdsOf(page), [4, 10, 14]);
    assert.deepEqual(turnIdsOf({ items: [], hasOlder: false }), []);
  });

  test('withVersions marks the turns with several versions, counted from 1, and leaves the others alone', () => {
    const turns = toTurnPage(page).turns;
    const marked = withVersions(turns, new Map([[14, { index: 0, count: 3 }], [10, { index: 0, count: 1 }], [99, { index: 1, count: 2 }]]));
    assert.deepEqual(marked.map((turn) => turn.versions), [undefined, undefined, { index: 1, count: 3 }]);
    assert.equal(marked[0], turns[0], 'an unmarked turn is the same object');
    assert.doesNotThrow(() => turnPageSchema.parse({ turns: marked, hasOlder: false }));
  });

  test('the snapshot carries the versions and the thread\'s last row, and passes its own schema', () => {
    const snapshot = buildSnapshot('t1', { thread: undefined, page, lastRowId: 15, canUndo: true, canRedo: false }, { model: 'm', versions: new Map([[14, { index: 1, count: 2 }]]) });
    assert.equal(snapshot.lastRowId, 15);
    assert.deepEqual(snapshot.turns.at(-1)?.versions, { index: 2, count: 2 });
    assert.doesNotThrow(() => snapshotSchema.parse(snapshot));
  });
});
