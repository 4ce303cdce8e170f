// The editor tab of the chat panel reads the shown thread's title, through switches and renames.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ThreadInfo } from '../../src/core/store/historyStore.ts';
import type { SessionChatApi } from '../../src/host/api.ts';
import { activateApi, command, openChat } from './support/extension.ts';
import { waitFor } from './support/waitFor.ts';

/** The label of the chat panel's tab, as the user reads it. */
function panelTabLabel(): string | undefined {
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
  return tabs.find((tab) => tab.input instanceof vscode.TabInputWebview && tab.input.viewType.endsWith('sessionChat.panel'))?.label;
}

async function tabReads(title: string): Promise<void> {
  await waitFor(() => panelTabLabel() === title, `the panel's tab to read "${title}" (it reads "${panelTabLabel()}")`);
}

describe('the panel tab', () => {
  let api: SessionChatApi;
  const made: string[] = [];

  before(async () => {
    api = await activateApi();
    await openChat(api);
  });

  // Later suites walk this workspace's thread list entry by entry: leave it as it was.
  after(async () => {
    for (const threadId of made) await command('deleteThread', { threadId, confirm: false });
  });

  it('reads the thread title, and follows renames and thread switches', async () => {
    const first = await command<ThreadInfo>('newThread', { title: 'Parser rewrite' });
    made.push(first.id);
    await tabReads('Parser rewrite');

    await command('renameThread', { threadId: first.id, title: 'Parser rewrite, take two' });
    await tabReads('Parser rewrite, take two');

    const second = await command<ThreadInfo>('newThread', { title: 'release notes for v2' });
    made.push(second.id);
    await tabReads('release notes for v2');

    await command('switchThread', { threadId: first.id });
    await tabReads('Parser rewrite, take two');
    assert.equal(api.currentThreadId(), first.id);

    // Renaming a thread that is not shown leaves the tab alone.
    await command('renameThread', { threadId: second.id, title: 'Release notes' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(panelTabLabel(), 'Parser rewrite, take two');
  });
});
