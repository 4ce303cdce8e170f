import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MESSAGE_ROUTES, routeMessage, type ChatActions } from '../../src/host/chat/messageRoutes.ts';
import { COMMAND_IDS } from '../../src/host/commands/commandIds.ts';
import { WEBVIEW_MESSAGE_TYPES, type WebviewMessage } from '../../src/shared/protocol.ts';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  contributes: { commands: { command: string; category?: string }[]; menus: Record<string, { command: string }[]>; keybindings: { command: string }[] };
};

describe('host tables', () => {
  test('every webview message type of the protocol has a handler, and no handler is for a type that does not exist', () => {
    assert.deepEqual(Object.keys(MESSAGE_ROUTES).sort(), [...WEBVIEW_MESSAGE_TYPES].sort());
  });

  test('a message reaches the action it names, with its fields', async () => {
    const calls: string[] = [];
    const replies: unknown[] = [];
    const actions: ChatActions<string> = {
      ready: async (surface) => void calls.push(`ready ${surface}`),
      send: async (text, id, surface) => calls.push(`send ${text} ${id} ${surface}`),
      retry: async (id) => calls.push(`retry ${id}`),
      abort: (id) => void calls.push(`abort ${id}`),
      loadOlder: async (beforeId) => ({ turns: [{ id: beforeId - 5, entries: [] }], hasOlder: false }),
      insertCode: async (code) => calls.push(`insert ${code}`),
      copyCode: async (code) => calls.push(`copy ${code}`),
      runCommand: async (command) => calls.push(`command ${command}`),
      reply: (_surface, id, answer) => void replies.push({ id, ...answer }),
    };
    const messages: WebviewMessage[] = [
      { type: 'ready' },
      { type: 'chat/send', id: 'r1', text: 'hi' },
      { type: 'chat/abort', id: 'r1' },
      { type: 'command/run', command: 'undoTurn' },
      { type: 'thread/loadOlder', id: 'r2', beforeId: 50 },
    ];
    for (const message of messages) await routeMessage(actions, 'panel', message);
    assert.deepEqual(calls, ['ready panel', 'send hi r1 panel', 'abort r1', 'command undoTurn']);
    assert.deepEqual(replies, [{ id: 'r2', ok: true, value: { turns: [{ id: 45, entries: [] }], hasOlder: false } }]);
  });

  test('a failed page load still answers the request, with an error', async () => {
    const replies: unknown[] = [];
    const actions = { loadOlder: async () => { throw new Error('disk'); }, reply: (_s: unknown, id: string, answer: object) => void replies.push({ id, ...answer }) } as unknown as ChatActions<unknown>;
    await assert.rejects(async () => routeMessage(actions, 'view', { type: 'thread/loadOlder', id: 'r3', beforeId: 9 }), /disk/);
    assert.deepEqual(replies, [{ id: 'r3', ok: false, error: 'Could not load older messages.' }]);
  });

  test('the command table and package.json list the same commands, each with the Session Chat category', () => {
    const contributed = manifest.contributes.commands.map((entry) => entry.command).sort();
    assert.deepEqual(contributed, Object.values(COMMAND_IDS).sort());
    for (const entry of manifest.contributes.commands) assert.equal(entry.category, 'Session Chat', entry.command);
    for (const [name, id] of Object.entries(COMMAND_IDS)) assert.equal(id, `sessionChat.${name}`);
  });

  test('menus and keybindings name only commands of the table', () => {
    const known = new Set<string>(Object.values(COMMAND_IDS));
    const used = [...Object.values(manifest.contributes.menus).flat(), ...manifest.contributes.keybindings].map((entry) => entry.command);
    for (const command of used) assert.ok(known.has(command), command);
  });
});
