import assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import type { SessionChatApi } from '../../src/host/api.ts';
import type { ThreadInfo } from '../../src/core/store/historyStore.ts';
import { activateApi, command, openChat, panelShows, storeOf, userTexts } from './support/extension.ts';

/** The current thread's id; every test here works on one. */
function current(api: SessionChatApi): string {
  const id = api.currentThreadId();
  assert.ok(id, 'a current thread');
  return id;
}

describe('thread commands change the store and the panel', () => {
  let api: SessionChatApi;

  before(async () => {
    api = await activateApi();
    await openChat(api);
  });

  it('New Thread creates an empty thread in this workspace and shows it', async () => {
    const thread = await command<ThreadInfo>('newThread', { title: 'Fresh start' });
    assert.equal(api.currentThreadId(), thread.id);
    assert.ok((await storeOf(api).listThreads(api.workspaceKey())).some((t) => t.id === thread.id));
    assert.deepEqual((await storeOf(api).getItems(thread.id)), []);
    await panelShows(api, (s) => s.thread.id === thread.id && s.thread.title === 'Fresh start' && s.turns.length === 0, 'the new empty thread');
  });

  it('Undo removes the last turn from store and panel; Redo brings it back', async () => {
    await command<ThreadInfo>('newThread', { title: 'Undo here' });
    const id = current(api);
    assert.equal((await api.send('first question')).status, 'completed');
    assert.equal((await api.send('second question')).status, 'completed');
    const before = (await storeOf(api).getItems(id));
    await panelShows(api, (s) => userTexts(s).join('|') === 'first question|second question', 'two turns');

    assert.equal(await command<boolean>('undoTurn'), true);
    const after = (await storeOf(api).getItems(id));
    assert.ok(!JSON.stringify(after).includes('second question'), 'the undone question is gone from the store');
    assert.ok(JSON.stringify(after).includes('first question'));
    assert.deepEqual(after, before.slice(0, after.length), 'what remains is the first turn, unchanged');
    await panelShows(api, (s) => userTexts(s).join('|') === 'first question' && s.canRedo, 'one turn and Redo enabled');

    assert.equal(await command<boolean>('redoTurn'), true);
    assert.deepEqual((await storeOf(api).getItems(id)), before);
    await panelShows(api, (s) => userTexts(s).join('|') === 'first question|second question' && !s.canRedo, 'both turns again');
  });

  it('Clear empties the thread in store and panel, and Undo restores it', async () => {
    await command<ThreadInfo>('newThread', { title: 'Clear here' });
    const id = current(api);
    await api.send('keep me');
    const before = (await storeOf(api).getItems(id));
    assert.ok(before.length >= 2);

    await command('clearSession', { confirm: false });
    assert.deepEqual((await storeOf(api).getItems(id)), []);
    await panelShows(api, (s) => s.thread.id === id && s.turns.length === 0, 'an empty thread');

    await command('undoTurn');
    assert.deepEqual((await storeOf(api).getItems(id)), before);
    await panelShows(api, (s) => userTexts(s).join('|') === 'keep me', 'the cleared turn back');
  });

  it('Switch Thread shows the chosen thread with its own history', async () => {
    const a = await command<ThreadInfo>('newThread', { title: 'Thread A' });
    await api.send('only in A');
    const b = await command<ThreadInfo>('newThread', { title: 'Thread B' });
    await panelShows(api, (s) => s.thread.id === b.id && s.turns.length === 0, 'thread B, empty');

    await command('switchThread', { threadId: a.id });
    assert.equal(api.currentThreadId(), a.id);
    await panelShows(api, (s) => s.thread.id === a.id && userTexts(s).join('|') === 'only in A', 'thread A with its turn');
  });

  it('Rename Thread changes the title in store and panel', async () => {
    const thread = await command<ThreadInfo>('newThread', { title: 'Old name' });
    await command('renameThread', { title: 'New name' });
    assert.equal((await storeOf(api).getThread(thread.id))?.title, 'New name');
    await panelShows(api, (s) => s.thread.id === thread.id && s.thread.title === 'New name', 'the new title');
  });

  it('Delete Thread removes it and its history; the panel moves to another thread', async () => {
    const keep = await command<ThreadInfo>('newThread', { title: 'Survivor' });
    const doomed = await command<ThreadInfo>('newThread', { title: 'Doomed' });
    await api.send('soon gone');
    assert.equal(await command<boolean>('deleteThread', { threadId: doomed.id, confirm: false }), true);
    assert.equal((await storeOf(api).getThread(doomed.id)), undefined);
    assert.deepEqual((await storeOf(api).getItems(doomed.id)), []);
    assert.ok(!(await storeOf(api).listThreads(api.workspaceKey())).some((t) => t.id === doomed.id));
    assert.ok((await storeOf(api).getThread(keep.id)), 'other threads stay');
    await panelShows(api, (s) => s.thread.id !== doomed.id && s.thread.id === api.currentThreadId(), 'another thread');
  });

  it('Export Thread opens the conversation as Markdown', async () => {
    await command<ThreadInfo>('newThread', { title: 'Export me' });
    await api.send('a question worth keeping');
    const document = await command<vscode.TextDocument>('exportThread');
    assert.equal(document.languageId, 'markdown');
    const text = document.getText();
    assert.ok(text.includes('Export me'), 'the title');
    assert.ok(text.includes('a question worth keeping'), 'the question');
    assert.ok(text.includes('Echo: a question worth keeping'), "the model's answer");
  });
});
