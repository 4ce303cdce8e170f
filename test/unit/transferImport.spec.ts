import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { itemsToTurns } from '../../src/core/view/itemsToTurns.ts';
import { listVsCodeChatSessions } from '../../src/core/transfer/importSources.ts';
import type { ThreadRecord } from '../../src/core/transfer/threadRecord.ts';
import { IMPORT_FIXTURES, assertCallsPaired, collectImport, parsedItems, skipsOf, threadsOf } from './helpers/importEvents.ts';

const fixture = (...parts: string[]): string => join(IMPORT_FIXTURES, ...parts);
const chatSessions = fixture('vscode', 'workspaceStorage', '5d1c3f0e9a7b', 'chatSessions');

async function onlyThread(path: string): Promise<{ record: ThreadRecord; format: string }> {
  const events = await collectImport([path]);
  assert.deepEqual(skipsOf(events), []);
  assert.equal(events.length, 1);
  const event = events[0]!;
  assert.equal(event.kind, 'thread');
  return event.kind === 'thread' ? { record: event.record, format: event.format } : assert.fail();
}

/** What the panel would show: entry kinds and texts, turn by turn. */
function shown(record: ThreadRecord): string[][] {
  return itemsToTurns(record.items.map((text) => JSON.parse(text) as unknown)).map((turn) =>
    turn.entries.map((entry) => (entry.kind === 'tool' ? `tool ${entry.name} ${entry.args} -> ${entry.output}` : `${entry.kind}: ${'text' in entry ? entry.text : ''}`)),
  );
}

describe('import: VS Code chat sessions', () => {
  test('a .json session: title, workspace from workspace.json, answers with references, tool call and output paired, notes for an image and a file edit', async () => {
    const { record, format } = await onlyThread(join(chatSessions, '0b6f4a62-8d2e-4c51-9f0e-3a1b2c3d4e5f.json'));
    assert.equal(format, 'vscode-chat');
    assert.equal(record.id, 'vscode-chat-0b6f4a62-8d2e-4c51-9f0e-3a1b2c3d4e5f');
    assert.equal(record.title, 'Parse the config file');
    assert.equal(record.workspaceKey, 'file:///home/me/project');
    assert.equal(record.createdAt, 1764316800000);
    assert.equal(record.updatedAt, 1764317400000);
    assertCallsPaired(record);
    assert.deepEqual(shown(record), [
      [
        'user: How do I parse config.yaml?\n\n[Image screenshot.png not imported]',
        "assistant: Use the `yaml` package. See `config.ts`:\n\n```ts\nimport { parse } from 'yaml';\n```",
        'tool copilot_readFile {\n  "filePath": "/home/me/project/config.yaml"\n} -> port: 8080',
        'assistant: [File edit to /home/me/project/src/config.ts not imported]\n\nThe file now parses.',
      ],
      ['user: Thanks! Stop there.', "assistant: You're welc"],
    ]);
    // The cancelled answer is kept as a stopped answer, as the panel stores one.
    assert.equal(parsedItems(record).at(-1)!.status, 'incomplete');
  });

  test('a .jsonl session log is replayed: pushed requests and parts, set title and state', async () => {
    const { record } = await onlyThread(join(chatSessions, '7c9e6679-7425-40de-944b-e07fc1f90ae7.jsonl'));
    assert.equal(record.id, 'vscode-chat-7c9e6679-7425-40de-944b-e07fc1f90ae7');
    assert.equal(record.title, 'Interactive rebase');
    assert.deepEqual(shown(record), [
      ['user: What does `git rebase -i` do?', 'assistant: It lets you edit, squash or drop commits.'],
      ['user: And how do I abort it?', 'assistant: Run `git rebase --abort`.'],
    ]);
    assert.equal(parsedItems(record).at(-1)!.status, 'completed');
  });

  test('the session list for "Import from VS Code Chat..." is newest first, with titles and request counts', async () => {
    const sessions = await listVsCodeChatSessions(chatSessions);
    assert.deepEqual(
      sessions.map(({ file, title, lastMessageAt, requests }) => ({ file: file.slice(chatSessions.length + 1), title, lastMessageAt, requests })),
      [
        { file: '7c9e6679-7425-40de-944b-e07fc1f90ae7.jsonl', title: 'Interactive rebase', lastMessageAt: 1764403300000, requests: 2 },
        { file: '0b6f4a62-8d2e-4c51-9f0e-3a1b2c3d4e5f.json', title: 'Parse the config file', lastMessageAt: 1764317400000, requests: 2 },
      ],
    );
    assert.deepEqual(await listVsCodeChatSessions(join(chatSessions, 'missing')), []);
  });
});

describe('import: Continue sessions', () => {
  test('title, workspace, creation time from sessions.json, tool call answered once, image and context noted, thinking left out', async () => {
    const { record, format } = await onlyThread(fixture('continue', 'sessions', '3f2504e0-4f89-11d3-9a0c-0305e82c3301.json'));
    assert.equal(format, 'continue');
    assert.equal(record.id, 'continue-3f2504e0-4f89-11d3-9a0c-0305e82c3301');
    assert.equal(record.title, 'Regex for semver');
    assert.equal(record.workspaceKey, 'file:///home/me/project');
    assert.equal(record.createdAt, 1764230400000);
    assertCallsPaired(record);
    assert.deepEqual(shown(record), [
      [
        'user: Write a regex that matches semver.\n[Image not imported]\n\n[Context (version.ts) not imported]',
        'assistant: Let me check the file first.',
        'tool read_file {\n  "filepath": "src/version.ts"\n} -> export const v = \'1.2.3\';',
        'assistant: ```regex\n^\\d+\\.\\d+\\.\\d+$\n```',
      ],
    ]);
  });
});

describe('import: Cline and Roo Code tasks', () => {
  test('a Cline task: title, folder and favourite from taskHistory.json, environment details left out, tool results paired, image noted', async () => {
    const { record, format } = await onlyThread(fixture('cline', 'saoudrizwan.claude-dev', 'tasks', '1764144000000', 'api_conversation_history.json'));
    assert.equal(format, 'cline');
    assert.equal(record.id, 'cline-1764144000000');
    assert.equal(record.title, 'Add a --verbose flag to the CLI');
    assert.equal(record.workspaceKey, 'file:///home/me/cli');
    assert.equal(record.pinned, true);
    assert.equal(record.createdAt, 1764144000000);
    assert.equal(record.updatedAt, 1764144090000);
    assertCallsPaired(record);
    const turns = shown(record);
    assert.equal(turns.length, 2);
    assert.equal(turns[0]![0], 'user: Add a --verbose flag to the CLI');
    assert.equal(turns[0]![2], 'tool read_file {\n  "path": "src/cli.ts"\n} -> const args = process.argv;');
    assert.match(turns[0]![3]!, /^tool replace_in_file .* -> The content was successfully saved to src\/cli\.ts\.$/s);
    assert.deepEqual(turns[1], ['user: [Image not imported]\n\nLooks good, also update the README.', 'assistant: Done: README updated.']);
    assert.ok(!record.items.some((text) => text.includes('environment_details')));
  });

  test('a Roo Code task in the version 2 envelope: title and workspace from history_item.json, AI SDK tool parts paired, reasoning left out', async () => {
    const { record, format } = await onlyThread(fixture('roo', 'rooveterinaryinc.roo-cline', 'tasks', 'b7e2a1c4-5d6f-4a8b-9c0d-1e2f3a4b5c6d', 'api_conversation_history.json'));
    assert.equal(format, 'roo');
    assert.equal(record.id, 'roo-b7e2a1c4-5d6f-4a8b-9c0d-1e2f3a4b5c6d');
    assert.equal(record.title, 'List the TODO comments in src/');
    assert.equal(record.workspaceKey, 'file:///home/me/project');
    assert.deepEqual([record.createdAt, record.updatedAt], [1764057600000, 1764057604000]);
    assertCallsPaired(record);
    assert.deepEqual(shown(record), [
      [
        'user: List the TODO comments in src/',
        'assistant: Searching.',
        'tool search_files {\n  "path": "src",\n  "regex": "TODO"\n} -> src/a.ts:3: // TODO: cache',
        'assistant: One TODO: src/a.ts line 3.',
      ],
    ]);
  });

  test('a legacy Roo task without metadata is told from Cline by its Roo-only fields', async () => {
    const { record, format } = await onlyThread(fixture('roo', 'rooveterinaryinc.roo-cline', 'tasks', 'legacy-4f1c', 'api_conversation_history.json'));
    assert.equal(format, 'roo');
    assert.equal(record.id, 'roo-legacy-4f1c');
    assert.equal(record.title, 'Rename foo to bar');
  });
});

describe('import: folders', () => {
  test('the whole fixtures folder: one thread per conversation, companion files read silently, nothing skipped', async () => {
    const events = await collectImport([IMPORT_FIXTURES]);
    assert.deepEqual(skipsOf(events), []);
    assert.deepEqual(threadsOf(events).map((record) => record.id).sort(), [
      'cline-1764144000000',
      'continue-3f2504e0-4f89-11d3-9a0c-0305e82c3301',
      'roo-b7e2a1c4-5d6f-4a8b-9c0d-1e2f3a4b5c6d',
      'roo-legacy-4f1c',
      'vscode-chat-0b6f4a62-8d2e-4c51-9f0e-3a1b2c3d4e5f',
      'vscode-chat-7c9e6679-7425-40de-944b-e07fc1f90ae7',
    ]);
    for (const record of threadsOf(events)) assertCallsPaired(record);
  });

  test('importing twice gives the same threads (same ids, same items), so a second import finds them', async () => {
    const first = threadsOf(await collectImport([IMPORT_FIXTURES]));
    const second = threadsOf(await collectImport([IMPORT_FIXTURES]));
    assert.deepEqual(second, first);
  });

  test('a file chosen twice (directly and through its folder) is read once', async () => {
    const file = join(chatSessions, '0b6f4a62-8d2e-4c51-9f0e-3a1b2c3d4e5f.json');
    const events = await collectImport([file, chatSessions]);
    assert.deepEqual(threadsOf(events).map((record) => record.id), ['vscode-chat-0b6f4a62-8d2e-4c51-9f0e-3a1b2c3d4e5f', 'vscode-chat-7c9e6679-7425-40de-944b-e07fc1f90ae7']);
  });
});
