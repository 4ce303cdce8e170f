import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Item } from '../../../src/core/session/session.ts';
import type { HistoryStore } from '../../../src/core/store/historyStore.ts';
import { answerContract } from './answerContract.ts';
import { transferContract } from './transferContract.ts';

/** A store under test, plus a second writer that goes around it (another window or program). */
export interface StoreFixture {
  store: HistoryStore;
  /** Appends rows to a thread the way the Agents SDK does, behind the store's back. */
  outsideAdd(threadId: string, items: Item[]): Promise<void>;
  /** Removes a thread's rows the way the SDK's `clear_session` does, behind the store's back. */
  outsideClear(threadId: string): Promise<void>;
  /** The same backing data opened again, like a restart. */
  reopen(): Promise<HistoryStore>;
  /** How many answer records the backend keeps for the thread, whether they count or not (checks deletion). */
  answerRecordCount?(threadId: string): Promise<number>;
  close(): Promise<void>;
}

/** One implementation of {@link HistoryStore}: opens a fresh, empty store. */
export interface StoreTarget {
  name: string;
  open(): Promise<StoreFixture>;
}

export const user = (text: string): Item => ({ type: 'message', role: 'user', content: text });
export const assistant = (text: string): Item => ({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] });
const call = (id: string): Item => ({ type: 'function_call', call_id: id, name: 'read_file', arguments: '{}' });
const output = (id: string): Item => ({ type: 'function_call_output', call_id: id, output: 'contents' });

const texts = (items: readonly Item[]) => items.map((item) => (typeof item.content === 'string' ? item.content : (item.content as { text: string }[])[0]!.text));

async function turns(store: HistoryStore, threadId: string, count: number, from = 0): Promise<void> {
  for (let i = from; i < from + count; i++) await store.appendItems(threadId, [user(`q${i}`), assistant(`a${i}`)]);
}

async function lastRowIdOf(store: HistoryStore, threadId: string): Promise<number> {
  return (await store.readView(threadId, 1)).lastRowId;
}

/** A test case on a freshly opened store of `target`, closed afterwards whatever happens. */
export function storeCase(target: StoreTarget): (name: string, fn: (f: StoreFixture) => Promise<void>) => void {
  return (name, fn) =>
    test(name, async () => {
      const fixture = await target.open();
      try {
        await fn(fixture);
      } finally {
        await fixture.close();
      }
    });
}

/** The contract every history store passes. */
export function historyStoreContract(target: StoreTarget): void {
  const run = storeCase(target);

  describe(`HistoryStore contract: ${target.name}`, () => {
    run('threads belong to their workspace, newest activity first; no key lists all', async ({ store }) => {
      const a1 = await store.createThread('file:///a', 'First in A');
      const b1 = await store.createThread('file:///b');
      const a2 = await store.createThread('file:///a', '  Second in A ');
      assert.equal(b1.title, 'New thread');
      assert.equal(a2.title, 'Second in A');
      await store.appendItems(a1.id, [user('bump')]);
      assert.deepEqual((await store.listThreads('file:///a')).map((t) => t.id), [a1.id, a2.id]);
      assert.deepEqual((await store.listThreads('file:///b')).map((t) => t.id), [b1.id]);
      assert.deepEqual(new Set((await store.listThreads()).map((t) => t.id)), new Set([a1.id, a2.id, b1.id]));
    });

    run('rename trims, refuses an empty title and an unknown thread', async ({ store }) => {
      const t = await store.createThread('w');
      assert.equal((await store.renameThread(t.id, '  Plan \n')).title, 'Plan');
      await assert.rejects(store.renameThread(t.id, '  '), /empty/);
      await assert.rejects(store.renameThread('no-such-thread', 'x'));
      assert.equal((await store.getThread(t.id))?.title, 'Plan');
    });

    run('delete removes the thread, its items, its redo entries and current pointers, nothing else', async ({ store }) => {
      const gone = await store.createThread('w');
      const kept = await store.createThread('w');
      await turns(store, gone.id, 2);
      await store.appendItems(kept.id, [user('other')]);
      await store.undoTurn(gone.id);
      await store.setCurrentThread('w', gone.id);
      await store.deleteThread(gone.id);
      assert.equal(await store.getThread(gone.id), undefined);
      assert.deepEqual(await store.getItems(gone.id), []);
      assert.equal(await store.currentThreadId('w'), undefined);
      assert.deepEqual((await store.listThreads('w')).map((t) => t.id), [kept.id]);
      assert.deepEqual(texts(await store.getItems(kept.id)), ['other']);
    });

    run('the current thread is remembered per workspace and survives a restart', async ({ store, reopen }) => {
      const a = await store.createThread('a');
      const b = await store.createThread('b');
      await store.setCurrentThread('a', a.id);
      await store.setCurrentThread('b', b.id);
      const again = await reopen();
      try {
        assert.equal(await again.currentThreadId('a'), a.id);
        assert.equal(await again.currentThreadId('b'), b.id);
        assert.equal(await again.currentThreadId('c'), undefined);
      } finally {
        await again.close();
      }
    });

    run('appendItems returns the newest row id; getItems reads all or the latest n', async ({ store }) => {
      const t = await store.createThread('w');
      const first = await store.appendItems(t.id, [user('q0')]);
      const second = await store.appendItems(t.id, [assistant('a0'), user('q1')]);
      assert.ok(second > first);
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1']);
      assert.deepEqual(texts(await store.getItems(t.id, 2)), ['a0', 'q1']);
      assert.deepEqual(await store.getItems(t.id, 0), []);
      assert.deepEqual((await store.lastItem(t.id))?.rowId, second);
      assert.equal(await store.hasTurns(t.id), true);
      assert.equal(await store.hasTurns((await store.createThread('w')).id), false);
    });

    run('the newest page holds whole turns; older pages join it exactly and reach the first turn', async ({ store }) => {
      const t = await store.createThread('w');
      await store.appendItems(t.id, [{ type: 'message', role: 'system', content: 'preamble' }]);
      await turns(store, t.id, 7);
      const view = await store.readView(t.id, 3);
      assert.deepEqual(texts(view.page.items.map((s) => s.item)), ['q4', 'a4', 'q5', 'a5', 'q6', 'a6']);
      assert.equal(view.page.hasOlder, true);
      const seen = [...view.page.items];
      let page = view.page;
      while (page.hasOlder) {
        const before = seen[0]!.rowId;
        page = await store.pageBefore(t.id, before, 3);
        assert.equal(page.items.at(-1)!.rowId < before, true);
        // The page ends right before the turn the previous page started with: they join exactly.
        seen.unshift(...page.items);
      }
      assert.deepEqual(texts(seen.map((s) => s.item)), ['preamble', ...Array.from({ length: 7 }, (_, i) => [`q${i}`, `a${i}`]).flat()]);
      const small = await store.readView(t.id, 50);
      assert.equal(small.page.hasOlder, false);
      assert.equal(small.page.items.length, 15);
    });

    run('olderId names the turn just before the page, including a leading preamble', async ({ store }) => {
      const t = await store.createThread('w');
      const preamble = await store.appendItems(t.id, [{ type: 'message', role: 'system', content: 'preamble' }]);
      await turns(store, t.id, 2);
      const view = await store.readView(t.id, 2);
      assert.equal(view.page.hasOlder, true);
      assert.equal(view.page.olderId, preamble);
      const older = await store.pageBefore(t.id, view.page.items[0]!.rowId, 2);
      assert.deepEqual(older.items.map((s) => s.rowId), [preamble]);
      assert.equal(older.hasOlder, false);
      assert.equal(older.olderId, undefined);
    });

    run('an empty thread has an empty page, nothing to undo or redo', async ({ store }) => {
      const t = await store.createThread('w');
      const view = await store.readView(t.id, 30);
      assert.deepEqual(view.page, { items: [], hasOlder: false });
      assert.equal(view.lastRowId, 0);
      assert.equal(view.canUndo, false);
      assert.equal(view.canRedo, false);
      assert.deepEqual(await store.undoTurn(t.id), { status: 'nothing' });
      assert.deepEqual(await store.redoTurn(t.id), { status: 'nothing' });
    });

    run('undo removes the newest turn with its tool items; redo brings it back; a new message ends redo', async ({ store }) => {
      const t = await store.createThread('w');
      await store.appendItems(t.id, [user('q0'), assistant('a0')]);
      await store.appendItems(t.id, [user('q1'), call('c1'), output('c1'), assistant('a1')]);
      const undone = await store.undoTurn(t.id);
      assert.equal(undone.status, 'done');
      assert.equal(undone.status === 'done' && undone.kind, 'turnRemoved');
      assert.equal(undone.status === 'done' && undone.items.length, 4);
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0']);
      assert.equal((await store.readView(t.id, 30)).canRedo, true);
      const redone = await store.redoTurn(t.id);
      assert.equal(redone.status === 'done' && redone.kind, 'turnRestored');
      assert.equal((await store.getItems(t.id)).length, 6);
      await store.undoTurn(t.id);
      await store.appendItems(t.id, [user('q2')]);
      assert.deepEqual(await store.redoTurn(t.id), { status: 'nothing' });
    });

    run('two undos then two redos restore both turns in order', async ({ store }) => {
      const t = await store.createThread('w');
      await turns(store, t.id, 3);
      await store.undoTurn(t.id);
      await store.undoTurn(t.id);
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0']);
      assert.equal((await store.redoTurn(t.id)).status, 'done');
      assert.equal((await store.redoTurn(t.id)).status, 'done');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1', 'a1', 'q2', 'a2']);
      assert.deepEqual(await store.redoTurn(t.id), { status: 'nothing' });
    });

    run('clear is undoable until something is written after it', async ({ store }) => {
      const t = await store.createThread('w');
      await turns(store, t.id, 2);
      assert.equal(await store.clearThread(t.id), 4);
      assert.deepEqual(await store.getItems(t.id), []);
      assert.equal((await store.readView(t.id, 30)).canUndo, true);
      const restored = await store.undoClear(t.id);
      assert.equal(restored.status === 'done' && restored.kind, 'clearUndone');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1', 'a1']);
      await store.clearThread(t.id);
      await store.appendItems(t.id, [user('new')]);
      assert.deepEqual(await store.undoClear(t.id), { status: 'nothing' });
      const undo = await store.undoTurn(t.id);
      assert.equal(undo.status === 'done' && undo.kind, 'turnRemoved');
      assert.deepEqual(await store.getItems(t.id), []);
    });

    run('redo refuses after another program added to the thread, instead of reordering history', async ({ store, outsideAdd }) => {
      const t = await store.createThread('w');
      await turns(store, t.id, 2);
      await store.undoTurn(t.id);
      await outsideAdd(t.id, [user('py-q'), assistant('py-a')]);
      assert.deepEqual(await store.redoTurn(t.id), { status: 'conflict' });
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'py-q', 'py-a']);
      assert.equal((await store.readView(t.id, 30)).canRedo, false);
    });

    run('undo of a clear refuses after another program wrote to the emptied thread', async ({ store, outsideAdd }) => {
      const t = await store.createThread('w');
      await turns(store, t.id, 1);
      await store.clearThread(t.id);
      await outsideAdd(t.id, [user('py-q')]);
      assert.deepEqual(await store.undoClear(t.id), { status: 'conflict' });
      assert.deepEqual(texts(await store.getItems(t.id)), ['py-q']);
    });

    run('redo after an outside clear_session refuses rather than restore an answer without its context', async ({ store, outsideClear }) => {
      const t = await store.createThread('w');
      await turns(store, t.id, 2);
      await store.undoTurn(t.id);
      await outsideClear(t.id);
      assert.deepEqual(await store.redoTurn(t.id), { status: 'conflict' });
      assert.deepEqual(await store.getItems(t.id), []);
    });

    run('a transaction applies only on the history the caller saw', async ({ store, outsideAdd }) => {
      const t = await store.createThread('w');
      const question = await store.appendItems(t.id, [user('q')]);
      const applied = await store.applyTransaction({ operationId: 'op-1', threadId: t.id, expectedLastRowId: question, replacement: [assistant('a')] });
      assert.equal(applied.status, 'applied');
      await outsideAdd(t.id, [user('elsewhere')]);
      const late = await store.applyTransaction({ operationId: 'op-2', threadId: t.id, expectedLastRowId: applied.lastRowId, replacement: [assistant('late')] });
      assert.equal(late.status, 'conflict');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q', 'a', 'elsewhere']);
    });

    run('a repeated operation id applies once; reusing it for another change throws', async ({ store }) => {
      const t = await store.createThread('w');
      const question = await store.appendItems(t.id, [user('q')]);
      const change = { operationId: 'op-same', threadId: t.id, expectedLastRowId: question, replacement: [assistant('a')] };
      assert.equal((await store.applyTransaction(change)).status, 'applied');
      assert.equal((await store.applyTransaction(change)).status, 'duplicate');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q', 'a']);
      await assert.rejects(store.applyTransaction({ ...change, replacement: [assistant('other')] }), /already used/);
      assert.deepEqual(texts(await store.getItems(t.id)), ['q', 'a']);
    });

    run('replace_suffix swaps the rows from a point on, as one change', async ({ store }) => {
      const t = await store.createThread('w');
      await store.appendItems(t.id, [user('q0'), assistant('a0')]);
      const q1 = await store.appendItems(t.id, [user('q1')]);
      const end = await store.appendItems(t.id, [assistant('a1')]);
      const result = await store.applyTransaction({ operationId: 'edit', threadId: t.id, expectedLastRowId: end, replaceFromRowId: q1, replacement: [user('q1 edited'), assistant('a1 again')] });
      assert.equal(result.status, 'applied');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1 edited', 'a1 again']);
      assert.equal((await store.lastItem(t.id))?.rowId, result.lastRowId);
    });

    run('previews show the newest message text on one line', async ({ store }) => {
      const a = await store.createThread('w');
      const b = await store.createThread('w');
      await store.appendItems(a.id, [user('question'), assistant('the\n  answer')]);
      const previews = await store.previews([a.id, b.id]);
      assert.equal(previews.get(a.id), 'the answer');
      assert.equal(previews.get(b.id), '');
    });

    run('a change by another connection is signalled within a second; idle and own writes are quiet', async ({ store, outsideAdd }) => {
      const t = await store.createThread('w');
      let calls = 0;
      const stop = store.onDidChange(() => calls++);
      try {
        await store.appendItems(t.id, [user('mine')]);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        assert.equal(calls, 0, 'own writes and idle time are not reported');
        await outsideAdd(t.id, [user('theirs')]);
        const deadline = Date.now() + 1000;
        while (calls === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
        assert.equal(calls, 1);
      } finally {
        stop();
      }
    });

    run('the SDK session of a thread reads and writes the same history', async ({ store }) => {
      const t = await store.createThread('w');
      const session = store.session(t.id);
      assert.equal(await session.getSessionId(), t.id);
      await session.addItems([user('via sdk')]);
      assert.deepEqual(texts(await store.getItems(t.id)), ['via sdk']);
      assert.equal((await session.popItem())?.content, 'via sdk');
      assert.deepEqual(await store.getItems(t.id), []);
      await session.addItems([user('again')]);
      await session.clearSession();
      assert.deepEqual(await session.getItems(), []);
    });

    run('pinned threads come first in thread lists; the pin survives a restart; unknown threads refuse', async ({ store, reopen }) => {
      const old = await store.createThread('w', 'old');
      const recent = await store.createThread('w', 'recent');
      assert.equal(old.pinned, false);
      assert.equal((await store.setPinned(old.id, true)).pinned, true);
      assert.deepEqual((await store.listThreads('w')).map((t) => t.id), [old.id, recent.id]);
      assert.deepEqual((await store.listThreads()).map((t) => t.id), [old.id, recent.id]);
      await assert.rejects(store.setPinned('no-such-thread', true));
      const again = await reopen();
      try {
        assert.equal((await again.getThread(old.id))?.pinned, true);
        assert.equal((await again.setPinned(old.id, false)).pinned, false);
        assert.deepEqual((await again.listThreads('w')).map((t) => t.id), [recent.id, old.id]);
      } finally {
        await again.close();
      }
    });

    run('search finds words, prefixes and fragments in every thread, newest first, with thread and turn', async ({ store }) => {
      const a = await store.createThread('file:///a', 'Parsing');
      const b = await store.createThread('file:///b', 'Other');
      const question = await store.appendItems(a.id, [user('Why does parseItem( fail on NaN?')]);
      const answer = await store.appendItems(a.id, [assistant('Because JSON.parse rejects NaN; see src/core/session/session.ts')]);
      const later = await store.appendItems(b.id, [user('I rewrote parseItem entirely')]);
      const hits = await store.search('parseitem');
      assert.deepEqual(hits.map((h) => h.rowId), [later, question]);
      assert.deepEqual(hits.map((h) => [h.threadId, h.threadTitle, h.workspaceKey, h.role]), [[b.id, 'Other', 'file:///b', 'user'], [a.id, 'Parsing', 'file:///a', 'user']]);
      assert.deepEqual((await store.search('pars')).map((h) => h.rowId), [later, answer, question]);
      const fragment = await store.search('Item(');
      assert.deepEqual(fragment.map((h) => h.rowId), [question]);
      assert.ok(fragment[0]!.snippet.includes('parseItem('));
      const path = await store.search('core/sess');
      assert.deepEqual(path.map((h) => [h.rowId, h.turnId, h.role]), [[answer, question, 'assistant']]);
      assert.deepEqual(await store.search('parseItem NaN'), (await store.search('NaN parseItem')));
      assert.deepEqual((await store.search('parseItem NaN')).map((h) => h.rowId), [question]);
      assert.deepEqual(await store.search('nowhere to be found'), []);
    });

    run('search puts pinned threads first, then the given workspace, then newest first', async ({ store }) => {
      const here = await store.createThread('file:///here');
      const there = await store.createThread('file:///there');
      const pinned = await store.createThread('file:///there');
      const inPinned = await store.appendItems(pinned.id, [user('lighthouse one')]);
      const inHere = await store.appendItems(here.id, [user('lighthouse two')]);
      const inThere = await store.appendItems(there.id, [user('lighthouse three')]);
      await store.setPinned(pinned.id, true);
      assert.deepEqual((await store.search('lighthouse')).map((h) => h.rowId), [inPinned, inThere, inHere]);
      const ordered = await store.search('lighthouse', { workspaceKey: 'file:///here' });
      assert.deepEqual(ordered.map((h) => h.rowId), [inPinned, inHere, inThere]);
      assert.deepEqual(ordered.map((h) => h.pinned), [true, false, false]);
      assert.deepEqual((await store.search('lighthouse', { workspaceKey: 'file:///here', limit: 2 })).map((h) => h.rowId), [inPinned, inHere]);
    });

    run('undo, redo, clear, replace and delete keep search exact', async ({ store }) => {
      const t = await store.createThread('w');
      await store.appendItems(t.id, [user('keep alpha'), assistant('fine')]);
      await store.appendItems(t.id, [user('undone bravo'), assistant('answer bravo')]);
      assert.equal((await store.search('bravo')).length, 2);
      await store.undoTurn(t.id);
      assert.deepEqual(await store.search('bravo'), []);
      await store.redoTurn(t.id);
      assert.equal((await store.search('bravo')).length, 2);
      await store.clearThread(t.id);
      assert.deepEqual(await store.search('alpha'), []);
      await store.undoClear(t.id);
      assert.equal((await store.search('alpha')).length, 1);
      const last = (await store.lastItem(t.id))!.rowId;
      const first = (await store.findInThread(t.id, 'bravo'))[0]!;
      await store.applyTransaction({ operationId: 'edit', threadId: t.id, expectedLastRowId: last, replaceFromRowId: first, replacement: [user('edited charlie')] });
      assert.deepEqual(await store.search('bravo'), []);
      assert.equal((await store.search('charlie')).length, 1);
      await store.deleteThread(t.id);
      assert.deepEqual(await store.search('alpha'), []);
      assert.deepEqual(await store.search('charlie'), []);
    });

    run('find in thread gives that thread\'s matching rows, oldest first', async ({ store }) => {
      const t = await store.createThread('w');
      const other = await store.createThread('w');
      const first = await store.appendItems(t.id, [user('needle one')]);
      await store.appendItems(t.id, [assistant('hay')]);
      const second = await store.appendItems(t.id, [assistant('another NEEDLE')]);
      await store.appendItems(other.id, [user('needle elsewhere')]);
      assert.deepEqual(await store.findInThread(t.id, 'needle'), [first, second]);
      assert.deepEqual(await store.findInThread(t.id, 'needle one'), [first]);
      assert.deepEqual(await store.findInThread(t.id, ''), []);
    });

    // Versions (edit, regenerate, switch, fork): the thread's items are always the version shown.
    const turnIds = async (store: HistoryStore, threadId: string) => {
      const view = await store.readView(threadId, 1000);
      return view.page.items.filter(({ item }) => item.role === 'user').map(({ rowId }) => rowId);
    };

    run('versions: an edit replaces the turn and what followed; switching shows either version whole', async ({ store }) => {
      const t = await store.createThread('w');
      await turns(store, t.id, 3);
      const [, second] = await turnIds(store, t.id);
      const edited = await store.editQuestion(t.id, second!, 'q1 edited', await lastRowIdOf(store, t.id));
      assert.equal(edited.status, 'done');
      if (edited.status !== 'done') return;
      assert.deepEqual(edited.versions, { index: 1, count: 2 });
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1 edited']);
      assert.equal(edited.questionRowId, edited.lastRowId);
      const answered = await store.appendItems(t.id, [assistant('a1 edited')]);
      assert.deepEqual(await store.versionsOf(t.id, [edited.questionRowId]), new Map([[edited.questionRowId, { index: 1, count: 2 }]]));
      const back = await store.switchVersion(t.id, edited.questionRowId, 'previous', answered);
      assert.equal(back.status, 'done');
      if (back.status !== 'done') return;
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1', 'a1', 'q2', 'a2']);
      assert.deepEqual(await store.versionsOf(t.id, await turnIds(store, t.id)), new Map([[back.turnId, { index: 0, count: 2 }]]));
      const again = await store.switchVersion(t.id, back.turnId, 'next', back.lastRowId);
      assert.equal(again.status, 'done');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1 edited', 'a1 edited']);
    });

    run('versions: sending continues the version shown, and the other version keeps what it had', async ({ store }) => {
      const t = await store.createThread('w');
      await turns(store, t.id, 2);
      const [first] = await turnIds(store, t.id);
      const edited = await store.editQuestion(t.id, first!, 'q0 edited', await lastRowIdOf(store, t.id));
      assert.equal(edited.status, 'done');
      if (edited.status !== 'done') return;
      const back = await store.switchVersion(t.id, edited.questionRowId, 0, edited.lastRowId);
      assert.equal(back.status, 'done');
      if (back.status !== 'done') return;
      const last = await store.appendItems(t.id, [user('q2'), assistant('a2')]);
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1', 'a1', 'q2', 'a2']);
      const shown = await store.switchVersion(t.id, back.turnId, 1, last);
      assert.equal(shown.status, 'done');
      if (shown.status !== 'done') return;
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0 edited']);
      await store.switchVersion(t.id, shown.turnId, 'previous', shown.lastRowId);
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1', 'a1', 'q2', 'a2']);
    });

    run('versions: regenerate keeps the question byte for byte and makes the answer a version', async ({ store }) => {
      const t = await store.createThread('w');
      await turns(store, t.id, 2);
      const [, last] = await turnIds(store, t.id);
      const result = await store.regenerate(t.id, last!, await lastRowIdOf(store, t.id));
      assert.equal(result.status, 'done');
      if (result.status !== 'done') return;
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1']);
      assert.deepEqual((await store.lastItem(t.id))?.item, user('q1'));
      assert.deepEqual(result.versions, { index: 1, count: 2 });
      await store.appendItems(t.id, [assistant('a1 again')]);
      const again = await store.regenerate(t.id, result.questionRowId, await lastRowIdOf(store, t.id));
      assert.equal(again.status, 'done');
      if (again.status !== 'done') return;
      assert.deepEqual(again.versions, { index: 2, count: 3 });
      const first = await store.switchVersion(t.id, again.questionRowId, 0, again.lastRowId);
      assert.equal(first.status, 'done');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1', 'a1']);
    });

    run('versions: empty text, a stale end, a row that is no turn and a version that does not exist change nothing', async ({ store }) => {
      const t = await store.createThread('w');
      await turns(store, t.id, 2);
      const [first, second] = await turnIds(store, t.id);
      const last = await lastRowIdOf(store, t.id);
      await assert.rejects(store.editQuestion(t.id, first!, '  \n', last), /empty/);
      assert.deepEqual(await store.editQuestion(t.id, first!, 'x', last - 1), { status: 'conflict', lastRowId: last });
      assert.deepEqual(await store.regenerate(t.id, first!, last - 1), { status: 'conflict', lastRowId: last });
      assert.equal((await store.editQuestion(t.id, first! + 1, 'x', last)).status, 'conflict');
      assert.equal((await store.switchVersion(t.id, second!, 'previous', last)).status, 'conflict');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1', 'a1']);
      const edited = await store.editQuestion(t.id, second!, 'q1 edited', last);
      assert.equal(edited.status, 'done');
      if (edited.status !== 'done') return;
      assert.equal((await store.switchVersion(t.id, edited.questionRowId, 'previous', last)).status, 'conflict');
      assert.equal((await store.switchVersion(t.id, edited.questionRowId, 'next', edited.lastRowId)).status, 'conflict');
      assert.equal((await store.switchVersion(t.id, edited.questionRowId, 5, edited.lastRowId)).status, 'conflict');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1 edited']);
    });

    run('versions: fork copies the version shown through a turn into a new thread; the original is untouched', async ({ store }) => {
      const t = await store.createThread('w', 'Plan');
      await turns(store, t.id, 3);
      const [first, second] = await turnIds(store, t.id);
      const edited = await store.editQuestion(t.id, second!, 'q1 edited', await lastRowIdOf(store, t.id));
      assert.equal(edited.status, 'done');
      const fork = await store.forkThread(t.id, first!);
      assert.equal(fork.title, 'Plan (fork)');
      assert.equal(fork.workspaceKey, 'w');
      assert.deepEqual(texts(await store.getItems(fork.id)), ['q0', 'a0']);
      const whole = await store.forkThread(t.id, (await turnIds(store, t.id))[1]!);
      assert.deepEqual(texts(await store.getItems(whole.id)), ['q0', 'a0', 'q1 edited']);
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1 edited']);
      await assert.rejects(store.forkThread(t.id, first! + 1));
    });

    run('versions: Undo removes the last turn of the version shown; Redo brings it back with its versions', async ({ store }) => {
      const t = await store.createThread('w');
      await turns(store, t.id, 3);
      const [, , third] = await turnIds(store, t.id);
      const edited = await store.editQuestion(t.id, third!, 'q2 edited', await lastRowIdOf(store, t.id));
      assert.equal(edited.status, 'done');
      await store.appendItems(t.id, [assistant('a2 edited')]);
      // The edited turn goes; its group keeps both versions while nothing shows it.
      assert.equal((await store.undoTurn(t.id)).status, 'done');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1', 'a1']);
      // One more: the rows the group is keyed on go too, and the group travels with the entry.
      assert.equal((await store.undoTurn(t.id)).status, 'done');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0']);
      assert.equal((await store.redoTurn(t.id)).status, 'done');
      assert.equal((await store.redoTurn(t.id)).status, 'done');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1', 'a1', 'q2 edited', 'a2 edited']);
      const [, , back] = await turnIds(store, t.id);
      assert.deepEqual(await store.versionsOf(t.id, [back!]), new Map([[back!, { index: 1, count: 2 }]]));
      const original = await store.switchVersion(t.id, back!, 'previous', await lastRowIdOf(store, t.id));
      assert.equal(original.status, 'done');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1', 'a1', 'q2', 'a2']);
    });

    run('versions: Undo takes the last turn of the version shown; its Redo waits while another version is shown', async ({ store }) => {
      const t = await store.createThread('w');
      await turns(store, t.id, 3);
      const [, second] = await turnIds(store, t.id);
      const edited = await store.editQuestion(t.id, second!, 'q1 edited', await lastRowIdOf(store, t.id));
      assert.equal(edited.status, 'done');
      if (edited.status !== 'done') return;
      const back = await store.switchVersion(t.id, edited.questionRowId, 'previous', edited.lastRowId);
      assert.equal(back.status, 'done');
      if (back.status !== 'done') return;
      assert.equal((await store.undoTurn(t.id)).status, 'done');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1', 'a1']);
      const shown = await store.switchVersion(t.id, back.turnId, 'next', await lastRowIdOf(store, t.id));
      assert.equal(shown.status, 'done');
      if (shown.status !== 'done') return;
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1 edited']);
      // The version shown now has its own (empty) stack; the undone turn went with its version.
      assert.deepEqual(await store.redoTurn(t.id), { status: 'nothing' });
      const original = await store.switchVersion(t.id, shown.turnId, 'previous', shown.lastRowId);
      assert.equal(original.status, 'done');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1', 'a1']);
      assert.equal((await store.redoTurn(t.id)).status, 'done');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1', 'a1', 'q2', 'a2']);
    });

    run('versions: an edit after Undo keeps the undone turns with the version it hides', async ({ store }) => {
      const t = await store.createThread('w');
      await turns(store, t.id, 3);
      await store.undoTurn(t.id);
      const [, second] = await turnIds(store, t.id);
      const edited = await store.editQuestion(t.id, second!, 'q1 edited', await lastRowIdOf(store, t.id));
      assert.equal(edited.status, 'done');
      if (edited.status !== 'done') return;
      const back = await store.switchVersion(t.id, edited.questionRowId, 'previous', edited.lastRowId);
      assert.equal(back.status, 'done');
      assert.equal((await store.redoTurn(t.id)).status, 'done');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1', 'a1', 'q2', 'a2']);
    });

    run('versions: a question sent after undoing an edited turn takes its place beside the other versions', async ({ store }) => {
      const t = await store.createThread('w');
      await turns(store, t.id, 2);
      const [, second] = await turnIds(store, t.id);
      const edited = await store.editQuestion(t.id, second!, 'q1 edited', await lastRowIdOf(store, t.id));
      assert.equal(edited.status, 'done');
      await store.undoTurn(t.id);
      const sent = await store.appendItems(t.id, [user('q1 third try')]);
      assert.deepEqual(await store.versionsOf(t.id, [sent]), new Map([[sent, { index: 1, count: 2 }]]));
      const original = await store.switchVersion(t.id, sent, 'previous', sent);
      assert.equal(original.status, 'done');
      assert.deepEqual(texts(await store.getItems(t.id)), ['q0', 'a0', 'q1', 'a1']);
    });

    run('versions: search finds the version shown, not a hidden one, and follows a switch', async ({ store }) => {
      const t = await store.createThread('w');
      await store.appendItems(t.id, [user('zeppelin question'), assistant('zeppelin answer')]);
      const [first] = await turnIds(store, t.id);
      assert.equal((await store.search('zeppelin')).length, 2);
      const edited = await store.editQuestion(t.id, first!, 'dirigible question', await lastRowIdOf(store, t.id));
      assert.equal(edited.status, 'done');
      if (edited.status !== 'done') return;
      assert.deepEqual(await store.search('zeppelin'), []);
      assert.deepEqual(await store.findInThread(t.id, 'dirigible'), [edited.questionRowId]);
      const back = await store.switchVersion(t.id, edited.questionRowId, 'previous', edited.lastRowId);
      assert.equal(back.status, 'done');
      assert.equal((await store.search('zeppelin')).length, 2);
      assert.deepEqual(await store.search('dirigible'), []);
    });

    run('versions: Clear and its undo keep the versions; delete forgets them', async ({ store }) => {
      const t = await store.createThread('w');
      await turns(store, t.id, 2);
      const [first] = await turnIds(store, t.id);
      const edited = await store.editQuestion(t.id, first!, 'q0 edited', await lastRowIdOf(store, t.id));
      assert.equal(edited.status, 'done');
      await store.clearThread(t.id);
      assert.equal((await store.undoClear(t.id)).status, 'done');
      const [again] = await turnIds(store, t.id);
      assert.deepEqual(await store.versionsOf(t.id, [again!]), new Map([[again!, { index: 1, count: 2 }]]));
      await store.deleteThread(t.id);
      assert.deepEqual(await store.versionsOf(t.id, [again!]), new Map());
    });

    run('rows another program wrote are found; odd queries are searched as text and never throw', async ({ store, outsideAdd }) => {
      const t = await store.createThread('w');
      await outsideAdd(t.id, [user('written by python: zeppelin'), assistant('a "quoted" word, 2*3 - x AND y OR NEAR(z)')]);
      assert.equal((await store.search('zeppelin')).length, 1);
      for (const query of ['"', '*', '-x', 'NEAR(', 'AND', 'OR x', 'a"b', "''", '   ', '', '"quoted"', '2*3', 'x'.repeat(10_000), '🙂']) {
        await store.search(query);
        await store.findInThread(t.id, query);
      }
      assert.equal((await store.search('"quoted" word')).length, 1);
      assert.equal((await store.search('NEAR(z)')).length, 1);
      assert.equal((await store.search('2*3')).length, 1);
      const status = await store.searchIndexStatus();
      assert.equal(status.pending, 0);
      assert.equal(await store.indexPending(100), 0);
    });

    transferContract(target);
    answerContract(target);
  });
}
