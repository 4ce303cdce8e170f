import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SessionChatApi } from '../../src/host/api.ts';
import type { SearchHit, ThreadInfo } from '../../src/core/store/historyStore.ts';
import { activateApi, command, openChat, openLikeTheStore, panelShows, storeOf } from './support/extension.ts';
import { waitFor } from './support/waitFor.ts';

const TOOL = 'sessionChat_searchHistory';


/** The text of a tool result's text parts. */
function resultText(result: vscode.LanguageModelToolResult): string {
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

async function setToolEnabled(enabled: boolean | undefined): Promise<void> {
  await vscode.workspace.getConfiguration('sessionChat').update('searchHistoryTool.enabled', enabled, vscode.ConfigurationTarget.Global);
}

describe('search history, pins and the history tool', () => {
  let api: SessionChatApi;
  let zebraThread: ThreadInfo;
  let okapiThread: ThreadInfo;

  before(async () => {
    api = await activateApi();
    await openChat(api);
    zebraThread = await command<ThreadInfo>('newThread', { title: 'Striped animals' });
    assert.equal((await api.send('Where do zebras sleep? zebracorn-7 is my tag')).status, 'completed');
    okapiThread = await command<ThreadInfo>('newThread', { title: 'Forest animals' });
    assert.equal((await api.send('Tell me about the okapi in the rainforest')).status, 'completed');
  });

  after(async () => {
    await setToolEnabled(undefined);
  });

  it('Search History finds a message of another thread, and choosing it shows that thread', async () => {
    assert.equal(api.currentThreadId(), okapiThread.id);
    const hit = await command<SearchHit | undefined>('searchHistory', { query: 'zebracorn', pick: 0 });
    assert.ok(hit, 'a hit');
    assert.equal(hit.threadId, zebraThread.id);
    assert.equal(hit.threadTitle, 'Striped animals');
    // The test server's answer may repeat the question: the newest match can be either.
    assert.ok(hit.role === 'user' || hit.role === 'assistant', hit.role);
    assert.match(hit.snippet, /zebracorn/);
    assert.equal(api.currentThreadId(), zebraThread.id);
    const shown = await panelShows(api, (s) => s.thread.id === zebraThread.id, 'the found thread in the panel');
    const rows = shown.turns.flatMap((turn) => turn.entries.map((entry) => entry.rowId));
    assert.ok(rows.includes(hit.rowId), `the snapshot renders row ${hit.rowId} (rows ${rows.join(', ')})`);
    assert.ok(shown.turns.some((turn) => turn.id === hit.turnId), 'and its turn');
  });

  it('finds a fragment inside a word and a message of another workspace', async () => {
    const store = storeOf(api);
    const elsewhere = await store.createThread('file:///somewhere/else/other-project', 'Elsewhere');
    await store.appendItems(elsewhere.id, [{ role: 'user', content: 'the quokkamatic parser again' }]);
    const hit = await command<SearchHit | undefined>('searchHistory', { query: 'kkamat', pick: 0 });
    assert.equal(hit?.threadId, elsewhere.id);
    assert.equal(hit?.workspaceKey, 'file:///somewhere/else/other-project');
    await panelShows(api, (s) => s.thread.id === elsewhere.id && s.thread.title === 'Elsewhere', 'the other workspace thread');
    assert.equal(await command('searchHistory', { query: 'no-such-word-anywhere-xyzzy', pick: 0 }), undefined);
    await command('switchThread', { threadId: okapiThread.id });
  });

  it('Pin Thread puts a thread first in this workspace list, and Unpin puts it back', async () => {
    const store = storeOf(api);
    const older = zebraThread.id;
    assert.notEqual((await store.listThreads(api.workspaceKey()))[0]?.id, older);
    const pinned = await command<ThreadInfo>('pinThread', { threadId: older });
    assert.equal(pinned.pinned, true);
    const listed = await store.listThreads(api.workspaceKey());
    assert.equal(listed[0]?.id, older);
    assert.equal(listed[0]?.pinned, true);
    // Pinning again changes nothing (the user is told).
    assert.equal((await command<ThreadInfo>('pinThread', { threadId: older })).pinned, true);

    const hit = await command<SearchHit | undefined>('searchHistory', { query: 'zebras', pick: 0 });
    assert.deepEqual([hit?.threadId, hit?.pinned], [older, true], 'a search result says its thread is pinned');

    await command('unpinThread', { threadId: older });
    const after = await store.listThreads(api.workspaceKey());
    assert.equal(after.find((thread) => thread.id === older)?.pinned, false);
    assert.notEqual(after[0]?.id, older);
  });

  it('the panel knows the shown thread is pinned, and the export says so', async () => {
    await command('switchThread', { threadId: okapiThread.id });
    await command('pinThread');
    await panelShows(api, (s) => s.thread.id === okapiThread.id && s.thread.pinned === true, 'a pinned thread in the panel');
    const document = await command<vscode.TextDocument>('exportThread');
    assert.match(document.getText(), /^# Forest animals\n\n\*Pinned thread\*\n/);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await command('unpinThread');
    await panelShows(api, (s) => s.thread.id === okapiThread.id && s.thread.pinned === undefined, 'the pin gone from the panel');
  });

  it('a large backlog another program wrote is indexed in the background, then found', async () => {
    const store = storeOf(api);
    const imported = await store.createThread(api.workspaceKey(), 'Imported from a script');
    const raw = openLikeTheStore(api);
    try {
      // What the SDK's SQLiteSession.add_items writes, 2,500 times, in one transaction.
      raw.prepare(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2500)
        INSERT INTO agent_messages (session_id, message_data) SELECT ?, json_object('role', 'user', 'content', 'capybara census entry ' || i) FROM n`).run(imported.id);
    } finally {
      raw.close();
    }
    assert.ok((await store.searchIndexStatus()).pending > 2000, 'more than a search catches up by itself');
    await command('searchHistory', { query: 'capybara', pick: 0 });
    await waitFor(async () => (await store.searchIndexStatus()).pending === 0, 'the background catch-up to index every row', 45_000);
    const hit = await command<SearchHit | undefined>('searchHistory', { query: '"capybara census entry 2487"', pick: 0 });
    assert.equal(hit?.threadId, imported.id);
    await panelShows(api, (s) => s.thread.id === imported.id, 'the imported thread');
    await command('deleteThread', { threadId: imported.id, confirm: false });
  });

  it('Find in Thread runs from the palette', async () => {
    await command('findInThread');
  });

  it(`the language model tool ${TOOL} returns matching messages with thread titles and dates`, async () => {
    await waitFor(() => vscode.lm.tools.some((tool) => tool.name === TOOL), `${TOOL} in vscode.lm.tools`);
    const result = await vscode.lm.invokeTool(TOOL, { input: { query: 'zebracorn' }, toolInvocationToken: undefined });
    const text = resultText(result);
    assert.match(text, /Striped animals/);
    assert.match(text, /zebracorn/);
    assert.match(text, /\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/);
    assert.match(resultText(await vscode.lm.invokeTool(TOOL, { input: { query: 'nothing-like-this-qwv' }, toolInvocationToken: undefined })), /^No Session Chat messages match/);
  });

  it('turning sessionChat.searchHistoryTool.enabled off takes the tool away', async () => {
    // vscode.lm.tools keeps listing a contributed tool that is disabled (its `when` is false, and the
    // extension host is given disabled tools too), so what a user's agent notices is that it cannot run.
    const invoke = (): Thenable<vscode.LanguageModelToolResult> => vscode.lm.invokeTool(TOOL, { input: { query: 'zebracorn' }, toolInvocationToken: undefined });
    const runs = async (): Promise<boolean> => Promise.resolve(invoke()).then(() => true, () => false);
    await setToolEnabled(false);
    await waitFor(async () => !(await runs()), `${TOOL} to stop running`);
    await assert.rejects(Promise.resolve(invoke()), /implementation/);
    await setToolEnabled(true);
    await waitFor(runs, `${TOOL} to run again`);
  });
});
