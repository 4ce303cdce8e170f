// Activation alone (this file runs first: `activate` sorts before every other suite, which load the chat):
// it must load no chat, open no database and log no error; the chat loads when first used.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { openChat, sessionChatExtension } from './support/extension.ts';
import { hostLogEntriesSince, markHostLogs } from './support/hostLogs.ts';
import { allLogs } from './support/logFiles.ts';
import { waitFor } from './support/waitFor.ts';

describe('a light activation', () => {
  it('activates without loading the chat or opening the database, then loads it on first use, and nothing logs an error', async () => {
    const extension = sessionChatExtension();
    assert.equal(extension.isActive, false, 'nothing activated Session Chat before this suite (it must run first)');
    const hostMark = markHostLogs();

    const api = await extension.activate();
    await waitFor(() => /Activated in [\d.]+ ms/.test(allLogs()), 'the activation line in the Session Chat log');
    const activated = /Activated in ([\d.]+) ms/.exec(allLogs())?.[1];
    console.log(`      activate() took ${activated} ms inside the extension host`);
    assert.throws(() => api.driver, /not loaded yet/, 'the chat (and its database) is not loaded by activation');
    assert.doesNotMatch(allLogs(), /SQLite driver|Database:|Chat loaded/, 'no database work at activation');

    // First use: a command (through its stand-in) loads the chat and runs the real command.
    await vscode.commands.executeCommand('sessionChat.openChat');
    assert.ok(api.driver, 'the chat is loaded after Open Chat');
    await openChat(api);
    const loaded = /Chat loaded in (\d+) ms/.exec(allLogs())?.[1];
    console.log(`      the chat loaded in ${loaded} ms on first use`);
    assert.match(allLogs(), /SQLite driver: better-sqlite3/);

    const errors = allLogs().split('\n').filter((line) => /\[error\]/.test(line));
    assert.deepEqual(errors, [], 'the Session Chat log has no error');
    const hostComplaints = hostLogEntriesSince(hostMark, extension.extensionPath).filter((entry) => /\[(error|warning)\]/.test(entry));
    assert.deepEqual(hostComplaints, [], 'the extension host logged nothing against Session Chat (e.g. a PendingMigrationError for reading `navigator`)');
  });
});
