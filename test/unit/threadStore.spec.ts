import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Item } from '../../src/core/session/session.ts';
import type { DriverName } from '../../src/core/session/sqliteDriver.ts';
import { ThreadStore } from '../../src/core/threads/threadStore.ts';
import { tempDir } from './helpers/tempDir.ts';

const user = (text: string): Item => ({ type: 'message', role: 'user', content: text });
const assistant = (text: string): Item => ({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] });
const call = (id: string): Item => ({ type: 'function_call', call_id: id, name: 'read_file', arguments: '{"path":"a.ts"}' });
const output = (id: string): Item => ({ type: 'function_call_output', call_id: id, output: 'contents' });

/** Runs `fn` with a store on a fresh file, and a way to close and reopen it like a restart. */
async function withStore(driver: DriverName, fn: (ctx: { store: () => ThreadStore; restart: () => void }) => void | Promise<void>): Promise<void> {
  const tmp = tempDir();
  const file = join(tmp.dir, 'sessions.db');
  let store = ThreadStore.open(file, { driver });
  try {
    await fn({ store: () => store, restart: () => { store.close(); store = ThreadStore.open(file, { driver }); } });
  } finally {
    store.close();
    tmp.remove();
  }
}

for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
  describe(`ThreadStore on ${driver}`, () => {
    test('a workspace lists only its own threads, newest activity first; undefined lists all', () => withStore(driver, ({ store }) => {
      const a1 = store().createThread('file:///a', 'First in A');
      const b1 = store().createThread('file:///b');
      const a2 = store().createThread('file:///a', '  Second in A  ');
      assert.equal(b1.title, 'New thread');
      assert.equal(a2.title, 'Second in A');
      store().addItems(a1.id, [user('bump')]);
      assert.deepEqual(store().listThreads('file:///a').map((t) => t.id), [a1.id, a2.id]);
      assert.deepEqual(store().listThreads('file:///b').map((t) => t.id), [b1.id]);
      assert.deepEqual(new Set(store().listThreads().map((t) => t.id)), new Set([a1.id, a2.id, b1.id]));
      assert.ok(store().getThread(a1.id)!.updatedAt >= a1.updatedAt);
    }));

    test('rename trims and rejects an empty title', () => withStore(driver, ({ store }) => {
      const t = store().createThread('w');
      assert.equal(store().renameThread(t.id, '  Refactor plan \n').title, 'Refactor plan');
      assert.throws(() => store().renameThread(t.id, '   '), /empty/);
      assert.equal(store().getThread(t.id)!.title, 'Refactor plan');
    }));

    test('delete removes the thread, its items, its redo stack and current pointers, nothing else', () => withStore(driver, ({ store }) => {
      const gone = store().createThread('w');
      const kept = store().createThread('w');
      store().addItems(gone.id, [user('q'), assistant('a')]);
      store().addItems(kept.id, [user('other')]);
      store().undoTurn(gone.id);
      store().setCurrentThread('w', gone.id);
      store().setCurrentThread('v', gone.id);
      store().deleteThread(gone.id);
      assert.equal(store().getThread(gone.id), undefined);
      assert.deepEqual(store().getItems(gone.id), []);
      assert.equal(store().canRedo(gone.id), false);
      assert.equal(store().currentThreadId('w'), undefined);
      assert.equal(store().currentThreadId('v'), undefined);
      assert.deepEqual(store().getItems(kept.id), [user('other')]);
      assert.deepEqual(store().listThreads('w').map((t) => t.id), [kept.id]);
    }));

    test('the current thread of each workspace survives a restart', () => withStore(driver, ({ store, restart }) => {
      const a = store().createThread('file:///a');
      const b = store().createThread('file:///b');
      store().setCurrentThread('file:///a', a.id);
      store().setCurrentThread('file:///b', b.id);
      restart();
      assert.equal(store().currentThreadId('file:///a'), a.id);
      assert.equal(store().currentThreadId('file:///b'), b.id);
      assert.equal(store().currentThreadId('file:///c'), undefined);
    }));

    test('undo removes back to the newest user message; redo restores it; both survive a restart', () => withStore(driver, ({ store, restart }) => {
      const t = store().createThread('w');
      const turn1 = [user('one'), assistant('first')];
      const turn2 = [user('two'), call('c1'), output('c1'), assistant('second')];
      store().addItems(t.id, turn1);
      store().addItems(t.id, turn2);
      assert.equal(store().canRedo(t.id), false);
      const undone = store().undoTurn(t.id);
      assert.deepEqual(undone, { status: 'done', kind: 'turnRemoved', items: turn2 });
      assert.deepEqual(store().getItems(t.id), turn1);
      restart();
      assert.equal(store().canRedo(t.id), true);
      assert.deepEqual(store().undoTurn(t.id), { status: 'done', kind: 'turnRemoved', items: turn1 });
      assert.equal(store().canUndo(t.id), false);
      assert.deepEqual(store().undoTurn(t.id), { status: 'nothing' });
      restart();
      assert.deepEqual(store().redoTurn(t.id), { status: 'done', kind: 'turnRestored', items: turn1 });
      assert.deepEqual(store().redoTurn(t.id), { status: 'done', kind: 'turnRestored', items: turn2 });
      assert.deepEqual(store().redoTurn(t.id), { status: 'nothing' });
      assert.deepEqual(store().getItems(t.id), [...turn1, ...turn2]);
    }));

    test('a new message after an undo drops the redo stack', async () => withStore(driver, ({ store }) => {
      const t = store().createThread('w');
      store().addItems(t.id, [user('one'), assistant('a')]);
      store().undoTurn(t.id);
      store().addItems(t.id, [user('instead')]);
      assert.equal(store().canRedo(t.id), false);
      assert.deepEqual(store().redoTurn(t.id), { status: 'nothing' });
      assert.deepEqual(store().getItems(t.id), [user('instead')]);
    }));

    test('the SDK session of a thread writes through the same undo-aware path', async () => {
      const tmp = tempDir();
      const store = ThreadStore.open(join(tmp.dir, 'sessions.db'), { driver });
      try {
        const t = store.createThread('w');
        store.addItems(t.id, [user('one')]);
        store.undoTurn(t.id);
        await store.session(t.id).addItems([user('from run()'), assistant('answer')]);
        assert.equal(store.canRedo(t.id), false);
        assert.deepEqual(store.getItems(t.id), [user('from run()'), assistant('answer')]);
      } finally {
        store.close();
        tmp.remove();
      }
    });

    test('clear is undoable, also after a restart', () => withStore(driver, ({ store, restart }) => {
      const t = store().createThread('w');
      const history = [user('one'), assistant('a'), user('two'), assistant('b')];
      store().addItems(t.id, history);
      assert.equal(store().clearThread(t.id), 4);
      assert.deepEqual(store().getItems(t.id), []);
      assert.equal(store().canUndo(t.id), true);
      restart();
      assert.deepEqual(store().undoTurn(t.id), { status: 'done', kind: 'clearUndone', items: history });
      assert.deepEqual(store().getItems(t.id), history);
      // With the Clear undone, the next undo is an ordinary turn.
      assert.deepEqual(store().undoTurn(t.id), { status: 'done', kind: 'turnRemoved', items: history.slice(2) });
      assert.deepEqual(store().getItems(t.id), history.slice(0, 2));
    }));

    test('messages sent after a clear are what undo removes; the clear is then final', () => withStore(driver, ({ store }) => {
      const t = store().createThread('w');
      store().addItems(t.id, [user('old'), assistant('a')]);
      store().clearThread(t.id);
      store().addItems(t.id, [user('new'), assistant('b')]);
      assert.deepEqual(store().undoTurn(t.id), { status: 'done', kind: 'turnRemoved', items: [user('new'), assistant('b')] });
      assert.deepEqual(store().getItems(t.id), []);
      assert.deepEqual(store().undoTurn(t.id), { status: 'nothing' });
      assert.equal(store().clearThread(t.id), 0);
    }));

    test('undoClear restores only a Clear that is still the latest change, never a newer turn', () => withStore(driver, ({ store }) => {
      const t = store().createThread('w');
      store().addItems(t.id, [user('old'), assistant('a')]);
      store().clearThread(t.id);
      store().addItems(t.id, [user('new'), assistant('b')]);
      // A late click on the "cleared … Undo" notification: the new turn stays.
      assert.deepEqual(store().undoClear(t.id), { status: 'nothing' });
      assert.deepEqual(store().getItems(t.id), [user('new'), assistant('b')]);
      store().clearThread(t.id);
      assert.deepEqual(store().undoClear(t.id), { status: 'done', kind: 'clearUndone', items: [user('new'), assistant('b')] });
      assert.deepEqual(store().getItems(t.id), [user('new'), assistant('b')]);
    }));

    test('an answer stored as a transaction on its question is dropped once the question was undone elsewhere', () => withStore(driver, ({ store }) => {
      const t = store().createThread('w');
      store().addItems(t.id, [user('first'), assistant('a')]);
      const question = store().addItems(t.id, [user('second')]);
      // Another window undoes the turn being answered.
      assert.equal(store().undoTurn(t.id).status, 'done');
      const late = store().applyTransaction({ operationId: 'late', threadId: t.id, expectedLastRowId: question, replacement: [assistant('late answer')] });
      assert.equal(late.status, 'conflict');
      assert.deepEqual(store().getItems(t.id), [user('first'), assistant('a')]);
      assert.equal(store().canRedo(t.id), true);
      // Unchanged turn: the answer is stored.
      store().redoTurn(t.id);
      const again = store().lastRowId(t.id);
      assert.equal(store().applyTransaction({ operationId: 'on-time', threadId: t.id, expectedLastRowId: again, replacement: [assistant('b')] }).status, 'applied');
      assert.deepEqual(store().getItems(t.id), [user('first'), assistant('a'), user('second'), assistant('b')]);
    }));

    test('preview shows the newest user or assistant text on one line, at most 80 characters', () => withStore(driver, ({ store }) => {
      const t = store().createThread('w');
      assert.equal(store().preview(t.id), '');
      store().addItems(t.id, [user('how do I\n  rename a symbol?')]);
      assert.equal(store().preview(t.id), 'how do I rename a symbol?');
      store().addItems(t.id, [assistant('Press F2.'), call('c'), output('c')]);
      assert.equal(store().preview(t.id), 'Press F2.');
      store().addItems(t.id, [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'word '.repeat(40) }] }]);
      const long = store().preview(t.id);
      assert.ok(long.length <= 80, `${long.length} characters`);
      assert.ok(long.startsWith('word word'));
    }));

    test('items added for an unknown id (an SDK run) adopt it as a thread with no workspace', () => withStore(driver, ({ store }) => {
      store().addItems('script-run-1', [user('Summarise the README'), assistant('It says...')]);
      const thread = store().getThread('script-run-1');
      assert.equal(thread?.workspaceKey, '');
      assert.equal(thread?.title, 'Summarise the README');
      assert.deepEqual(store().listThreads('').map((t) => t.id), ['script-run-1']);
    }));
  });
}
