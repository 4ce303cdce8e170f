import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { WebviewMessage } from '../../src/shared/protocol.ts';
import { createRequests } from '../../src/webview/requests.ts';

describe('webview requests', () => {
  test('a request is posted and resolves with the value of the reply carrying its id', async () => {
    const posted: WebviewMessage[] = [];
    const requests = createRequests((message) => posted.push(message));
    const first = requests.send({ type: 'thread/loadOlder', id: 'a', beforeId: 9 });
    const second = requests.send({ type: 'thread/loadOlder', id: 'b', beforeId: 5 });
    assert.deepEqual(posted, [
      { type: 'thread/loadOlder', id: 'a', beforeId: 9 },
      { type: 'thread/loadOlder', id: 'b', beforeId: 5 },
    ]);
    assert.equal(requests.receive({ type: 'reply', id: 'b', ok: true, value: { turns: [{ id: 4, entries: [] }], hasOlder: false } }), true);
    assert.equal(requests.receive({ type: 'reply', id: 'a', ok: true, value: { turns: [], hasOlder: true, olderId: 3 } }), true);
    assert.deepEqual(await second, { turns: [{ id: 4, entries: [] }], hasOlder: false });
    assert.equal((await first).olderId, 3);
  });

  test('a failed reply rejects with the host words; a reply nobody waits for is reported', async () => {
    const requests = createRequests(() => undefined);
    const pending = requests.send({ type: 'thread/loadOlder', id: 'a', beforeId: 9 });
    assert.equal(requests.receive({ type: 'reply', id: 'a', ok: false, error: 'database busy' }), true);
    await assert.rejects(pending, /database busy/);
    assert.equal(requests.receive({ type: 'reply', id: 'a', ok: false, error: 'again' }), false, 'each request settles once');
    assert.equal(requests.receive({ type: 'reply', id: 'zz', ok: true, value: { turns: [], hasOlder: false } }), false);
  });
});
