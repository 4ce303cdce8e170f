import assert from 'node:assert/strict';
import type { SessionChatApi } from '../../src/host/api.ts';
import type { ThreadInfo } from '../../src/core/store/historyStore.ts';
import { activateApi, command, openChat, storeOf } from './support/extension.ts';

const TURNS = 6_000;

describe('a large version switch in the extension host', () => {
  let api: SessionChatApi;

  before(async () => {
    api = await activateApi();
    await openChat(api);
  });

  it('runs in the switch worker: the extension host keeps running while ~12,000 rows move', async () => {
    const store = storeOf(api);
    const thread = await command<ThreadInfo>('newThread', { title: 'Huge with versions' });
    for (let start = 0; start < TURNS; start += 500) {
      const items = Array.from({ length: 500 }, (_, i) => [
        { type: 'message', role: 'user', content: `question ${start + i}` },
        { type: 'message', role: 'assistant', content: `answer ${start + i}` },
      ]).flat();
      await store.appendItems(thread.id, items);
    }
    // Edit the second question: the thread now shows the edited turn and nothing after it.
    const second = (await store.readView(thread.id, TURNS)).page.items.find((stored) => stored.item.content === 'question 1')!;
    const edited = await store.editQuestion(thread.id, second.rowId, 'question 1, edited', (await store.lastItem(thread.id))!.rowId);
    assert.equal(edited.status, 'done');
    // Switching back restores the original ~12,000 rows: large enough for the worker.
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    const switched = await store.switchVersion(thread.id, edited.status === 'done' ? edited.questionRowId : 0, 'previous', edited.status === 'done' ? edited.lastRowId : 0);
    clearInterval(ticker);
    assert.equal(switched.status, 'done');
    assert.equal((store as unknown as { switchWorkerProblem?: string }).switchWorkerProblem, undefined, 'the worker started in this extension host');
    assert.ok(ticks >= 3, `the extension host's thread was free during the switch (${ticks} ticks of 5 ms)`);
    const items = await store.getItems(thread.id, 2);
    assert.deepEqual(items.map((item) => item.content), [`question ${TURNS - 1}`, `answer ${TURNS - 1}`]);
  });
});
