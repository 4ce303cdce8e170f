import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateApi, contributedCommands, sessionChatExtension } from './support/extension.ts';

describe('activation', () => {
  it('activates the installed extension and runs on better-sqlite3, not the fallback', async () => {
    const api = await activateApi();
    assert.ok(sessionChatExtension().isActive);
    assert.equal(api.driver, 'better-sqlite3');
  });

  it('registers every command its package.json contributes', async () => {
    await activateApi();
    const contributed = contributedCommands();
    assert.ok(contributed.length >= 11, `expected the 11+ Session Chat commands, package.json lists ${contributed.length}`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});
