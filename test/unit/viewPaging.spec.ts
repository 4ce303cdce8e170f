import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toTurnPage } from '../../src/core/view/paging.ts';
import { turnPageSchema } from '../../src/shared/protocol.ts';

const user = (content: string) => ({ type: 'message', role: 'user', content });
const assistant = (content: string) => ({ type: 'message', role: 'assistant', content });

describe('paging', () => {
  test('a stored page becomes turns named by the row id of their first item', () => {
    const page = toTurnPage({
      items: [
        { rowId: 10, item: user('q1') },
        { rowId: 11, item: assistant('a1') },
        { rowId: 14, item: user('q2') },
      ],
      hasOlder: true,
      olderId: 7,
    });
    assert.deepEqual(page.turns.map((turn) => turn.id), [10, 14]);
    assert.deepEqual(page.turns[0]!.entries.map((entry) => entry.kind), ['user', 'assistant']);
    assert.equal(page.olderId, 7);
    assert.doesNotThrow(() => turnPageSchema.parse(page));
  });

  test('a page with nothing older carries no olderId, as the protocol requires', () => {
    const page = toTurnPage({ items: [{ rowId: 1, item: user('only') }], hasOlder: false });
    assert.deepEqual(page, { turns: [{ id: 1, entries: [{ kind: 'user', text: 'only', rowId: 1 }] }], hasOlder: false });
    assert.doesNotThrow(() => turnPageSchema.parse(page));
    assert.deepEqual(toTurnPage({ items: [], hasOlder: false }), { turns: [], hasOlder: false });
  });
});
