import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SessionChatApi } from '../../src/host/api.ts';
import { activateApi, command, openChat, panelShows } from './support/extension.ts';
import { lastModelRequest, resetModelServer } from './support/modelServer.ts';

const Global = vscode.ConfigurationTarget.Global;

/** Sets a Session Chat user setting (as the Settings editor does). */
async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('sessionChat').update(key, value, Global);
}

describe('what the model is sent', () => {
  let api: SessionChatApi;

  before(async () => {
    api = await activateApi();
    await openChat(api);
  });

  beforeEach(async () => {
    await command('newThread', { title: 'Requests' });
    await resetModelServer();
  });

  afterEach(async () => {
    await setSetting('model', undefined);
    await setSetting('historyLimit', undefined);
  });

  it('a changed sessionChat.model is used for the next message', async () => {
    await setSetting('model', 'first-model');
    await api.send('hello one');
    assert.equal((await lastModelRequest()).model, 'first-model');
    await setSetting('model', 'second-model');
    await api.send('hello two');
    assert.equal((await lastModelRequest()).model, 'second-model');
  });

  it('Select Model switches the model the next message uses and the panel shows', async () => {
    await command('selectModel', { model: 'picked-model' });
    assert.equal(vscode.workspace.getConfiguration('sessionChat').get('model'), 'picked-model');
    await api.send('which model');
    assert.equal((await lastModelRequest()).model, 'picked-model');
    await panelShows(api, (s) => s.model === 'picked-model', 'the picked model in the footer');
  });

  it('sessionChat.historyLimit limits the history sent', async () => {
    for (const word of ['apple', 'banana', 'cherry']) assert.equal((await api.send(`fruit ${word}`)).status, 'completed');
    await setSetting('historyLimit', 2);
    await api.send('fruit damson');
    const { input } = await lastModelRequest();
    const sent = JSON.stringify(input);
    // The latest two stored items (the cherry turn) and the new message; older turns are not sent.
    assert.equal(input.length, 3, `sent ${sent}`);
    assert.ok(sent.includes('fruit cherry') && sent.includes('fruit damson'));
    assert.ok(!sent.includes('fruit apple') && !sent.includes('fruit banana'));
  });

  it('Undo removes the turn from what the model is sent next', async () => {
    await api.send('remember alpha');
    await api.send('remember beta');
    await command('undoTurn');
    await api.send('remember gamma');
    const sent = JSON.stringify((await lastModelRequest()).input);
    assert.ok(sent.includes('remember alpha'));
    assert.ok(sent.includes('remember gamma'));
    assert.ok(!sent.includes('remember beta'), `the undone turn was sent: ${sent}`);
  });
});
