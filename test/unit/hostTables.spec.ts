import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { MESSAGE_ROUTES, routeMessage, type ChatActions } from '../../src/host/chat/messageRoutes.ts';
import { COMMAND_IDS } from '../../src/host/commands/commandIds.ts';
import { WEBVIEW_MESSAGE_TYPES, type WebviewMessage } from '../../src/shared/protocol.ts';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    menus: Record<string, { command: string; when?: string; group?: string }[]>;
    keybindings: { command: string; key: string; mac?: string; when?: string; args?: unknown }[];
    configuration: { properties: Record<string, { type: string; default: unknown }> };
    languageModelTools: { name: string; displayName: string; toolReferenceName?: string; canBeReferencedInPrompt?: boolean; when?: string; modelDescription: string; inputSchema: { properties: Record<string, { type: string }>; required: string[] } }[];
  };
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
      find: async (threadId, query) => ({ rowIds: threadId === 't1' && query === 'zebra' ? [3, 9] : [] }),
      insertCode: async (code) => calls.push(`insert ${code}`),
      copyCode: async (code) => calls.push(`copy ${code}`),
      runCommand: async (command) => calls.push(`command ${command}`),
      reply: (_surface, id, answer) => void replies.push({ id, ...answer }),
      edit: async (turnId, text, id, expected, surface) => calls.push(`edit ${turnId} ${text} ${id} ${expected} ${surface}`),
      regenerate: async (turnId, id, expected, surface) => calls.push(`regenerate ${turnId} ${id} ${expected} ${surface}`),
      switchVersion: async (turnId, direction, expected) => calls.push(`switch ${turnId} ${direction} ${expected}`),
      fork: async (turnId) => calls.push(`fork ${turnId}`),
      setupDetect: async () => ({ servers: [{ name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1', models: ['llama3'] }] }),
      setupListModels: async (baseUrl) => ({ models: [baseUrl], hasKey: false }),
      setupEnterKey: async (baseUrl) => ({ done: baseUrl.startsWith('https:') }),
      setupApply: async (baseUrl, model, api) => {
        calls.push(`apply ${baseUrl} ${model} ${api}`);
        return { done: true };
      },
      setupUseVscodeModel: async (model) => {
        calls.push(`use vscode ${model}`);
        return { done: true };
      },
      answerTool: async (callId, decision) => calls.push(`tool ${callId} ${decision}`),
      removeAttachment: async (id) => calls.push(`remove ${id}`),
      findFiles: async (query) => ({ files: [`${query}.md`] }),
      addFile: async (path) => calls.push(`attach ${path}`),
      selectAgent: async (name) => calls.push(`agent ${name}`),
    };
    const messages: WebviewMessage[] = [
      { type: 'ready' },
      { type: 'chat/send', id: 'r1', text: 'hi' },
      { type: 'chat/abort', id: 'r1' },
      { type: 'command/run', command: 'undoTurn' },
      { type: 'thread/loadOlder', id: 'r2', beforeId: 50 },
      { type: 'thread/find', id: 'r3', threadId: 't1', query: 'zebra' },
      { type: 'turn/edit', id: 'r4', turnId: 7, text: 'better', expectedLastRowId: 12 },
      { type: 'turn/regenerate', id: 'r5', turnId: 9 },
      { type: 'turn/switchVersion', turnId: 7, direction: 'previous', expectedLastRowId: 14 },
      { type: 'thread/fork', turnId: 3 },
      { type: 'setup/detect', id: 'r6' },
      { type: 'setup/listModels', id: 'r7', baseUrl: 'http://x/v1' },
      { type: 'setup/enterKey', id: 'r8', baseUrl: 'https://y/v1' },
      { type: 'setup/apply', id: 'r9', baseUrl: 'http://x/v1', model: 'm', api: 'chat-completions' },
      { type: 'setup/useVscodeModel', id: 'r11', model: 'copilot-gpt-4o' },
      { type: 'tool/answer', callId: 'call_7', decision: 'deny' },
      { type: 'attachment/remove', id: 'a1' },
      { type: 'attachment/findFiles', id: 'r10', query: 'README' },
      { type: 'attachment/addFile', path: 'src/app.ts' },
      { type: 'agent/select', name: 'billing' },
    ];
    for (const message of messages) await routeMessage(actions, 'panel', message);
    assert.deepEqual(calls, [
      'ready panel',
      'send hi r1 panel',
      'abort r1',
      'command undoTurn',
      'edit 7 better r4 12 panel',
      'regenerate 9 r5 undefined panel',
      'switch 7 previous 14',
      'fork 3',
      'apply http://x/v1 m chat-completions',
      'use vscode copilot-gpt-4o',
      'tool call_7 deny',
      'remove a1',
      'attach src/app.ts',
      'agent billing',
    ]);
    assert.deepEqual(replies, [
      { id: 'r2', ok: true, value: { turns: [{ id: 45, entries: [] }], hasOlder: false } },
      { id: 'r3', ok: true, value: { rowIds: [3, 9] } },
      { id: 'r6', ok: true, value: { servers: [{ name: 'Ollama', baseUrl: 'http://127.0.0.1:11434/v1', models: ['llama3'] }] } },
      { id: 'r7', ok: true, value: { models: ['http://x/v1'], hasKey: false } },
      { id: 'r8', ok: true, value: { done: true } },
      { id: 'r9', ok: true, value: { done: true } },
      { id: 'r11', ok: true, value: { done: true } },
      { id: 'r10', ok: true, value: { files: ['README.md'] } },
    ]);
  });

  test('a failed page load still answers the request, with an error', async () => {
    const replies: unknown[] = [];
    const actions = { loadOlder: async () => { throw new Error('disk'); }, reply: (_s: unknown, id: string, answer: object) => void replies.push({ id, ...answer }) } as unknown as ChatActions<unknown>;
    await assert.rejects(async () => routeMessage(actions, 'view', { type: 'thread/loadOlder', id: 'r3', beforeId: 9 }), /disk/);
    assert.deepEqual(replies, [{ id: 'r3', ok: false, error: 'Could not load older messages.' }]);
  });

  test('a failed find still answers the request, with an error', async () => {
    const replies: unknown[] = [];
    const actions = { find: async () => { throw new Error('locked'); }, reply: (_s: unknown, id: string, answer: object) => void replies.push({ id, ...answer }) } as unknown as ChatActions<unknown>;
    await assert.rejects(async () => routeMessage(actions, 'view', { type: 'thread/find', id: 'f1', threadId: 't', query: 'x' }), /locked/);
    assert.deepEqual(replies, [{ id: 'f1', ok: false, error: 'Could not search this thread.' }]);
  });

  test('the command table and package.json list the same commands, each with the Session Chat category', () => {
    const contributed = manifest.contributes.commands.map((entry) => entry.command).sort();
    assert.deepEqual(contributed, Object.values(COMMAND_IDS).sort());
    for (const entry of manifest.contributes.commands) assert.equal(entry.category, 'Session Chat', entry.command);
    for (const [name, id] of Object.entries(COMMAND_IDS)) assert.equal(id, `sessionChat.${name}`);
  });

  test('Fork Thread is contributed with the title users see, its icon, and a place in both title menus', () => {
    const fork = manifest.contributes.commands.find((entry) => entry.command === 'sessionChat.forkThread');
    assert.deepEqual(fork, { command: 'sessionChat.forkThread', title: 'Fork Thread', category: 'Session Chat', icon: '$(repo-forked)' });
    assert.equal(manifest.contributes.menus['editor/title']?.find((entry) => entry.command === 'sessionChat.forkThread')?.when, "activeWebviewPanelId == 'sessionChat.panel'");
    assert.equal(manifest.contributes.menus['view/title']?.find((entry) => entry.command === 'sessionChat.forkThread')?.when, 'view == sessionChat.view');
  });

  test('menus and keybindings name only commands of the table', () => {
    const known = new Set<string>(Object.values(COMMAND_IDS));
    const used = [...Object.values(manifest.contributes.menus).flat(), ...manifest.contributes.keybindings].map((entry) => entry.command);
    for (const command of used) assert.ok(known.has(command), command);
  });

  test('search, find and pins are contributed with the titles users see', () => {
    const titles = new Map(manifest.contributes.commands.map((entry) => [entry.command, entry]));
    assert.equal(titles.get('sessionChat.searchHistory')?.title, 'Search History');
    assert.equal(titles.get('sessionChat.searchHistory')?.icon, '$(search)');
    assert.equal(titles.get('sessionChat.findInThread')?.title, 'Find in Thread');
    assert.equal(titles.get('sessionChat.pinThread')?.title, 'Pin Thread');
    assert.equal(titles.get('sessionChat.pinThread')?.icon, '$(pin)');
    assert.equal(titles.get('sessionChat.unpinThread')?.title, 'Unpin Thread');
    assert.equal(titles.get('sessionChat.unpinThread')?.icon, '$(pinned)');
  });

  test('Search History has a button in the panel title bar and the side-bar view title', () => {
    const editor = manifest.contributes.menus['editor/title']?.find((entry) => entry.command === 'sessionChat.searchHistory');
    const view = manifest.contributes.menus['view/title']?.find((entry) => entry.command === 'sessionChat.searchHistory');
    assert.equal(editor?.when, "activeWebviewPanelId == 'sessionChat.panel'");
    assert.match(editor?.group ?? '', /^navigation/);
    assert.equal(view?.when, 'view == sessionChat.view');
    assert.match(view?.group ?? '', /^navigation/);
  });

  test('Ctrl+F / Cmd+F runs Find in Thread in the panel and in the side-bar view, naming which', () => {
    const bindings = manifest.contributes.keybindings.filter((entry) => entry.command === 'sessionChat.findInThread');
    assert.deepEqual(bindings.map((entry) => [entry.key, entry.mac, entry.args]), [
      ['ctrl+f', 'cmd+f', { surface: 'panel' }],
      ['ctrl+f', 'cmd+f', { surface: 'view' }],
    ]);
    assert.match(bindings[0]?.when ?? '', /^activeWebviewPanelId == 'sessionChat.panel' && /);
    assert.equal(bindings[1]?.when, "focusedView == 'sessionChat.view'");
  });

  test('the history tool is contributed as sessionChat_searchHistory, behind a setting that is on by default', () => {
    const [tool, ...others] = manifest.contributes.languageModelTools;
    assert.equal(others.length, 0);
    assert.equal(tool?.name, 'sessionChat_searchHistory');
    assert.equal(tool?.displayName, 'Search Session Chat History');
    assert.equal(tool?.toolReferenceName, 'sessionChatHistory');
    assert.equal(tool?.canBeReferencedInPrompt, true);
    assert.deepEqual(tool?.inputSchema.required, ['query']);
    assert.deepEqual(Object.fromEntries(Object.entries(tool?.inputSchema.properties ?? {}).map(([name, schema]) => [name, schema.type])), { query: 'string', limit: 'number' });
    assert.equal(tool?.when, 'config.sessionChat.searchHistoryTool.enabled');
    const setting = manifest.contributes.configuration.properties['sessionChat.searchHistoryTool.enabled'];
    assert.deepEqual([setting?.type, setting?.default], ['boolean', true]);
  });
});
