import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SessionChatApi } from '../../src/host/api.ts';
import type { ThreadInfo } from '../../src/core/store/historyStore.ts';
import { pickNth as pickRow } from './support/quickPick.ts';
import { activateApi, command, openChat, panelShows, storeOf } from './support/extension.ts';

/** Select/accept the row `steps` down in the switchThread pick (see support/quickPick.ts). */
function pickNth(steps: number, settleMs: number): Promise<string | undefined> {
  return pickRow<string>('switchThread', steps, settleMs);
}

/** Every thread id the pick offers: entries 0..n-1 are threads, entry n is "all workspaces". */
async function offeredThreads(count: number): Promise<Set<string>> {
  const offered = new Set<string>();
  for (let step = 0; step <= count; step++) {
    let id: string | undefined;
    for (let attempt = 1; attempt <= 3 && id === undefined; attempt++) {
      id = await pickNth(step, 500 * attempt);
      if (step === count) break;
    }
    if (id) offered.add(id);
  }
  return offered;
}

describe('threads are kept per workspace', () => {
  let api: SessionChatApi;
  const foreignKey = vscode.Uri.file('/elsewhere/other-project').toString();
  let foreign: ThreadInfo;

  before(async () => {
    api = await activateApi();
    await openChat(api);
    foreign = await storeOf(api).createThread(foreignKey, 'Foreign thread');
    await storeOf(api).appendItems(foreign.id, [{ role: 'user', content: 'secret of another workspace' }]);
  });

  it("the workspace key is this window's folder URI", () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the harness opens a folder');
    assert.equal(api.workspaceKey(), folder.uri.toString());
  });

  it("another workspace's threads never show in this workspace's list", async () => {
    const own = await command<ThreadInfo>('newThread', { title: 'Mine' });
    const listed = (await storeOf(api).listThreads(api.workspaceKey()));
    assert.ok(listed.some((t) => t.id === own.id));
    assert.ok(!listed.some((t) => t.id === foreign.id));
    assert.ok(listed.every((t) => t.workspaceKey === api.workspaceKey()));
    // It does exist: the "all workspaces" view would find it.
    assert.ok((await storeOf(api).listThreads()).some((t) => t.id === foreign.id));
  });

  it("the Switch Thread pick offers this workspace's threads and not the other's", async function () {
    // One pick and one switch per thread of the workspace: the suites before this one leave some.
    this.timeout(180_000);
    const own = (await storeOf(api).listThreads(api.workspaceKey())).map((t) => t.id);
    const offered = await offeredThreads(own.length);
    assert.ok(!offered.has(foreign.id), 'the foreign thread was offered');
    assert.deepEqual([...offered].sort(), [...own].sort());
    await panelShows(api, (s) => s.thread.id !== foreign.id, 'a thread of this workspace');
  });
});
