import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SessionChatApi } from '../../src/host/api.ts';
import type { ThreadInfo } from '../../src/core/store/historyStore.ts';
import type { ExportOutcome } from '../../src/host/commands/exportCommands.ts';
import type { ImportOutcome } from '../../src/host/commands/importCommands.ts';
import { activateApi, command, openChat, panelShows, storeOf, userTexts } from './support/extension.ts';

/** The thread shown now. */
function current(api: SessionChatApi): string {
  const id = api.currentThreadId();
  assert.ok(id, 'a current thread');
  return id;
}

describe('export and import through the commands', () => {
  let api: SessionChatApi;
  let scratch: string;
  let existing: Set<string>;

  before(async () => {
    api = await activateApi();
    await openChat(api);
    scratch = mkdtempSync(path.join(tmpdir(), 'session-chat-transfer-'));
    existing = new Set((await storeOf(api).listThreads()).map((t) => t.id));
  });

  // The threads made and imported here would slow the suites after this one (their thread picks).
  after(async () => {
    for (const thread of await storeOf(api).listThreads()) {
      if (!existing.has(thread.id)) await command('deleteThread', { threadId: thread.id, confirm: false });
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it('Export Thread as JSON writes the thread; after Delete Thread, Import History brings it back once', async () => {
    await command<ThreadInfo>('newThread', { title: 'Goes out and back' });
    const id = current(api);
    await api.send('a question that travels');
    await api.send('and a second one');
    const original = await storeOf(api).exportThread(id);
    assert.ok(original && original.items.length >= 4);

    const target = vscode.Uri.file(path.join(scratch, 'thread.json'));
    const exported = await command<ExportOutcome>('exportThreadJson', target);
    assert.deepEqual([exported.threads, exported.items, exported.cancelled], [1, original.items.length, false]);
    const file = JSON.parse(readFileSync(target.fsPath, 'utf8')) as { format: string; version: number; threads: Array<{ id: string }> };
    assert.equal(file.format, 'session-chat-export');
    assert.deepEqual(file.threads.map((t) => t.id), [id]);

    await command('deleteThread', { threadId: id, confirm: false });
    assert.equal(await storeOf(api).getThread(id), undefined);

    const imported = await command<ImportOutcome>('importHistory', target);
    assert.deepEqual([imported.imported, imported.items, imported.unchanged, imported.skipped.length], [1, original.items.length, 0, 0]);
    assert.equal(imported.firstThreadId, id);
    assert.match(imported.message, /^Imported 1 thread, \d+ items into this workspace\.$/);
    assert.deepEqual(await storeOf(api).exportThread(id), original, 'the same thread, title, times and items byte for byte');
    await command('switchThread', { threadId: id });
    await panelShows(api, (s) => s.thread.id === id && userTexts(s).join('|') === 'a question that travels|and a second one', 'the imported thread in the panel');

    const again = await command<ImportOutcome>('importHistory', target);
    assert.deepEqual([again.imported, again.unchanged], [0, 1]);
    assert.equal(again.message, 'Imported nothing new; 1 thread was already here.');
    assert.equal((await storeOf(api).listThreads()).filter((t) => t.title === 'Goes out and back').length, 1);
  });

  it('Export Workspace History writes every thread of this workspace; Export All History every thread', async () => {
    for (const title of ['W one', 'W two', 'W three', 'W four']) {
      await command<ThreadInfo>('newThread', { title });
      await api.send(`question in ${title}`);
    }
    const here = await storeOf(api).listThreads(api.workspaceKey());
    const workspaceFile = vscode.Uri.file(path.join(scratch, 'workspace.json'));
    const workspace = await command<ExportOutcome>('exportWorkspaceHistory', workspaceFile);
    assert.equal(workspace.threads, here.length);
    const written = JSON.parse(readFileSync(workspaceFile.fsPath, 'utf8')) as { scope: string; threads: Array<{ id: string }> };
    assert.equal(written.scope, 'workspace');
    assert.deepEqual(new Set(written.threads.map((t) => t.id)), new Set(here.map((t) => t.id)));

    const all = await storeOf(api).listThreads();
    const allFile = vscode.Uri.file(path.join(scratch, 'all.json'));
    assert.equal((await command<ExportOutcome>('exportAllHistory', allFile)).threads, all.length);
    // Everything is here already: importing all of it changes nothing.
    const back = await command<ImportOutcome>('importHistory', allFile);
    assert.deepEqual([back.imported, back.unchanged, back.skipped.length], [0, all.length, 0]);
  });

  it('files and a folder with a broken export and an unknown file: what can be imported is, and each skipped file is named with its reason', async () => {
    const folder = path.join(scratch, 'mixed');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'broken.json'), '{"format": "session-chat-export", "threads": [');
    const notes = path.join(scratch, 'notes.txt');
    writeFileSync(notes, 'just some notes');
    const good = { id: 'imported-from-folder' };
    const goodFile = vscode.Uri.file(path.join(scratch, 'good.json'));
    // Written by our own exporter: export the current thread, then give it a new id in the file.
    await command<ExportOutcome>('exportThreadJson', goodFile);
    const text = readFileSync(goodFile.fsPath, 'utf8').replaceAll(current(api), good.id);
    writeFileSync(path.join(folder, 'good.json'), text);

    // A folder and a file chosen together; a file chosen by name is always reported when it is not history.
    const outcome = await command<ImportOutcome>('importHistory', [vscode.Uri.file(folder), vscode.Uri.file(notes)]);
    assert.equal(outcome.imported, 1);
    assert.ok(await storeOf(api).getThread(good.id), 'the good file was imported');
    const skipped = outcome.skipped.map((s) => path.basename(s.source.split('#')[0]!)).sort();
    assert.deepEqual(skipped, ['broken.json', 'notes.txt']);
    for (const { reason } of outcome.skipped) assert.ok(reason.length > 5, `a reason is given: ${reason}`);
    assert.match(outcome.message, /skipped 2 files: .*broken\.json.*notes\.txt|skipped 2 files: .*notes\.txt.*broken\.json/);
  });

  it('bad targets and empty sources get a clear message and change nothing', async () => {
    const nowhere = vscode.Uri.file(path.join(scratch, 'no-such-folder', 'thread.json'));
    await assert.rejects(Promise.resolve(command('exportThreadJson', nowhere)), /Could not write .*no-such-folder/);
    assert.ok(!existsSync(path.dirname(nowhere.fsPath)), 'nothing was created');
    const empty = path.join(scratch, 'empty');
    mkdirSync(empty);
    const before = (await storeOf(api).listThreads()).length;
    const outcome = await command<ImportOutcome>('importHistory', vscode.Uri.file(empty));
    assert.equal(outcome.message, 'Found nothing to import: no file there holds a conversation Session Chat can read.');
    assert.equal((await storeOf(api).listThreads()).length, before);
  });

  it('Export Thread as Markdown writes to a given file', async () => {
    const target = vscode.Uri.file(path.join(scratch, 'thread.md'));
    const document = await command<vscode.TextDocument>('exportThread', target);
    assert.equal(document.uri.fsPath, target.fsPath);
    assert.ok(existsSync(target.fsPath));
    assert.match(readFileSync(target.fsPath, 'utf8'), /^# /);
  });

  it('Import from VS Code Chat finds this workspace\'s chat sessions and imports them once', async () => {
    const folder = workspaceChatSessionsFolder();
    mkdirSync(folder, { recursive: true });
    const fixture = path.join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'import', 'vscode', 'workspaceStorage', '5d1c3f0e9a7b', 'chatSessions');
    for (const name of readdirSync(fixture)) writeFileSync(path.join(folder, name), readFileSync(path.join(fixture, name)));
    const first = await command<ImportOutcome>('importVsCodeChat', { all: true });
    assert.ok(first.imported >= 1, first.message);
    assert.equal(first.skipped.length, 0, first.message);
    const again = await command<ImportOutcome>('importVsCodeChat', { all: true });
    assert.deepEqual([again.imported, again.unchanged], [0, first.imported]);
  });
});

/**
 * VS Code's `workspaceStorage/<id>` folder of the open workspace, found the way VS Code records it:
 * desktop VS Code writes `workspace.json` naming the folder's URI; code-server writes `meta.json`
 * naming the folder. Its `chatSessions` is where VS Code keeps this workspace's chats.
 */
function workspaceChatSessionsFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  assert.ok(folder, 'the suite runs with a folder open');
  const logs = process.env.SESSION_CHAT_TEST_LOGS;
  assert.ok(logs, 'the harness names the user data folder');
  const root = path.join(path.dirname(logs), 'User', 'workspaceStorage');
  for (const id of readdirSync(root)) {
    const desktop = path.join(root, id, 'workspace.json');
    const web = path.join(root, id, 'meta.json');
    const names =
      (existsSync(desktop) && (JSON.parse(readFileSync(desktop, 'utf8')) as { folder?: string }).folder === folder.toString()) ||
      (existsSync(web) && (JSON.parse(readFileSync(web, 'utf8')) as { name?: string }).name === path.basename(folder.fsPath));
    if (names) return path.join(root, id, 'chatSessions');
  }
  throw new Error(`no folder of ${root} names ${folder.toString()}`);
}
