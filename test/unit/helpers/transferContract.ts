import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Item } from '../../../src/core/session/session.ts';
import type { HistoryStore } from '../../../src/core/store/historyStore.ts';
import type { ThreadRecord } from '../../../src/core/transfer/threadRecord.ts';
import type { StoreFixture, StoreTarget } from './historyStoreContract.ts';

const user = (text: string): Item => ({ type: 'message', role: 'user', content: text });
const assistant = (text: string): Item => ({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] });

/** A record as another machine's export carries it; the first item spaced as Python's json.dumps writes. */
function record(id: string, items: string[], extra: Partial<ThreadRecord> = {}): ThreadRecord {
  return { id, title: 'From elsewhere', workspaceKey: 'file:///elsewhere', createdAt: 1_700_000_000_000, updatedAt: 1_700_000_100_000, pinned: false, items, ...extra };
}
const PYTHON_SPACED = '{"type": "message", "role": "user", "content": "caf\\u00e9 spaced"}';
const rows = (...items: Item[]) => items.map((item) => JSON.stringify(item));

async function texts(store: HistoryStore, threadId: string): Promise<string[]> {
  return (await store.exportThread(threadId))?.items ?? [];
}

/**
 * Export and import (HistoryStore.exportThread / importThread), part of the history store contract:
 * byte-for-byte round trips, idempotent re-imports, newer exports adding only what is new, and
 * nothing half-written.
 */
export function transferContract(target: StoreTarget): void {
  const run = (name: string, fn: (a: StoreFixture, b: StoreFixture) => Promise<void>) =>
    test(name, async () => {
      const a = await target.open();
      const b = await target.open();
      try {
        await fn(a, b);
      } finally {
        await a.close();
        await b.close();
      }
    });

  run('transfer: export then import into an empty store gives the same thread, byte for byte', async ({ store: from }, { store: to }) => {
    const t = await from.createThread('file:///w', 'Round trip');
    await from.importThread(record('spaced', [PYTHON_SPACED]), 'file:///w');
    await from.appendItems(t.id, [user('q0'), assistant('a0 with ```code```')]);
    await from.appendItems(t.id, [{ type: 'function_call', callId: 'c1', name: 'read_file', arguments: '{"path":"a"}' } as Item]);
    await from.setPinned(t.id, true);
    for (const id of [t.id, 'spaced']) {
      const exported = (await from.exportThread(id))!;
      const result = await to.importThread(exported, exported.workspaceKey);
      assert.equal(result.status, 'created');
      assert.equal(result.added, exported.items.length);
      const back = (await to.exportThread(id))!;
      assert.deepEqual(back, exported, 'same id, title, workspace, times, pin and items');
    }
    assert.equal((await texts(to, 'spaced'))[0], PYTHON_SPACED, 'the spacing another program wrote is kept');
    assert.deepEqual((await to.getItems(t.id)).length, 3);
    assert.equal((await to.getThread(t.id))?.pinned, true);
    assert.equal((await to.search('café')).length, 1, 'imported items are searchable');
  });

  run('transfer: a second import changes nothing; a newer export adds only what is new', async ({ store }) => {
    const first = record('r1', rows(user('q0'), assistant('a0')));
    assert.equal((await store.importThread(first, 'file:///here')).status, 'created');
    const again = await store.importThread(first, 'file:///here');
    assert.deepEqual([again.status, again.added], ['unchanged', 0]);
    assert.equal((await store.listThreads()).length, 1);
    const newer = record('r1', [...first.items, ...rows(user('q1'), assistant('a1'))], { title: 'Renamed there' });
    const extended = await store.importThread(newer, 'file:///here');
    assert.deepEqual([extended.status, extended.added], ['extended', 2]);
    assert.deepEqual(await texts(store, 'r1'), newer.items);
    assert.equal((await store.importThread(newer, 'file:///here')).status, 'unchanged');
    // An older export of a thread that went on here brings nothing back.
    assert.equal((await store.importThread(first, 'file:///here')).status, 'unchanged');
    assert.equal((await store.getItems('r1')).length, 4);
  });

  run('transfer: a thread that went another way here is imported beside it, once', async ({ store }) => {
    const exported = record('r2', rows(user('q0'), assistant('a0'), user('q1'), assistant('a1')));
    await store.importThread(exported, 'file:///here');
    assert.equal((await store.undoTurn('r2')).status, 'done');
    await store.appendItems('r2', [user('q1 asked differently')]);
    const copied = await store.importThread(exported, 'file:///here');
    assert.equal(copied.status, 'copied');
    assert.equal(copied.thread.title, 'From elsewhere (imported)');
    assert.deepEqual(await texts(store, copied.thread.id), exported.items);
    assert.equal((await store.getItems('r2')).length, 3, 'the thread here is untouched');
    assert.equal((await store.importThread(exported, 'file:///here')).status, 'unchanged');
    assert.equal((await store.listThreads()).length, 2);
  });

  run('transfer: a record with an item that is not a JSON object writes nothing', async ({ store }) => {
    for (const bad of ['not json', '[1,2]', 'null', '"text"']) {
      await assert.rejects(store.importThread(record('bad', [JSON.stringify(user('fine')), bad]), 'w'), /Item 2 of thread "From elsewhere"/);
    }
    assert.equal(await store.getThread('bad'), undefined);
    assert.deepEqual(await store.listThreads(), []);
    assert.deepEqual(await store.getItems('bad'), []);
  });

  run('transfer: new threads go to the given workspace; title, times and pin come from the record', async ({ store }) => {
    await store.importThread(record('r3', rows(user('q')), { pinned: true, title: '  Kept title ' }), 'file:///current');
    const thread = (await store.getThread('r3'))!;
    assert.deepEqual(
      { workspaceKey: thread.workspaceKey, title: thread.title, createdAt: thread.createdAt, updatedAt: thread.updatedAt, pinned: thread.pinned },
      { workspaceKey: 'file:///current', title: 'Kept title', createdAt: 1_700_000_000_000, updatedAt: 1_700_000_100_000, pinned: true },
    );
    assert.deepEqual((await store.listThreads('file:///current')).map((t) => t.id), ['r3']);
    assert.equal(await store.exportThread('unknown'), undefined);
  });

  run('transfer: versions travel: the imported thread switches to the other version as the original did', async ({ store: from }, { store: to }) => {
    const t = await from.createThread('w');
    await from.appendItems(t.id, [user('q0'), assistant('a0')]);
    const second = await from.appendItems(t.id, [user('q1')]);
    const last = await from.appendItems(t.id, [assistant('a1')]);
    const edited = await from.editQuestion(t.id, second, 'q1 edited', last);
    assert.equal(edited.status, 'done');
    if (edited.status !== 'done') return;
    await from.appendItems(t.id, [assistant('a1 edited')]);
    const exported = (await from.exportThread(t.id))!;
    assert.equal(exported.versions?.length, 1);
    await to.importThread(exported, 'w');
    const view = await to.readView(t.id, 10);
    const turnId = view.page.items.filter(({ item }) => item.role === 'user')[1]!.rowId;
    assert.deepEqual(await to.versionsOf(t.id, [turnId]), new Map([[turnId, { index: 1, count: 2 }]]));
    const back = await to.switchVersion(t.id, turnId, 'previous', view.lastRowId);
    assert.equal(back.status, 'done');
    assert.deepEqual(await texts(to, t.id), rows(user('q0'), assistant('a0'), user('q1'), assistant('a1')));
  });
}
