// The protocol's one source: the schemas that type both directions, and the validation of what the
// webview sends (untrusted input: the host acts on nothing it did not check).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { parseWebviewMessage } from '../../src/shared/parseMessage.ts';
import { MAX_MESSAGE_CHARS, WEBVIEW_MESSAGE_TYPES, hostMessageSchema, snapshotSchema, turnPageSchema } from '../../src/shared/protocol.ts';
import type { HostMessage, Reply, ReplyValue, RequestOf, TurnPage, WebviewMessage } from '../../src/shared/protocol.ts';

/** One of every message the webview may send. */
const everyMessage: WebviewMessage[] = [
  { type: 'ready' },
  { type: 'chat/send', id: 'r1', text: 'hello' },
  { type: 'chat/retry', id: 'r2' },
  { type: 'chat/abort', id: 'r1' },
  { type: 'thread/loadOlder', id: 'r3', beforeId: 30 },
  { type: 'thread/find', id: 'r4', threadId: 't1', query: 'parseItem(' },
  { type: 'code/insert', code: 'x = 1' },
  { type: 'code/copy', code: 'x = 1' },
  { type: 'command/run', command: 'undoTurn' },
  { type: 'tool/answer', callId: 'call_1', decision: 'always' },
  { type: 'attachment/remove', id: 'a1' },
  { type: 'attachment/findFiles', id: 'r9', query: 'read' },
  { type: 'attachment/addFile', path: 'src/app.ts' },
  { type: 'turn/edit', id: 'r5', turnId: 4, text: 'a better question', expectedLastRowId: 9 },
  { type: 'turn/edit', id: 'r6', turnId: 4, text: 'without an expectation' },
  { type: 'turn/regenerate', id: 'r7', turnId: 4, expectedLastRowId: 9 },
  { type: 'turn/switchVersion', turnId: 4, direction: 'next', expectedLastRowId: 9 },
  { type: 'turn/switchVersion', turnId: 4, direction: 'previous' },
  { type: 'thread/fork', turnId: 1 },
  { type: 'setup/detect', id: 'r8' },
  { type: 'setup/listModels', id: 'r9', baseUrl: 'http://127.0.0.1:11434/v1' },
  { type: 'setup/enterKey', id: 'r10', baseUrl: 'https://api.openai.com/v1' },
  { type: 'setup/apply', id: 'r11', baseUrl: 'http://127.0.0.1:1234/v1', model: 'qwen3', api: 'chat-completions' },
  { type: 'setup/useVscodeModel', id: 'r12', model: 'copilot-gpt-4o' },
  { type: 'agent/select', name: 'billing' },
];

describe('parseWebviewMessage', () => {
  test('accepts every message of the protocol', () => {
    for (const message of everyMessage) assert.deepEqual(parseWebviewMessage(message), { ok: true, message });
  });

  test('refuses unknown types, missing fields and wrong values', () => {
    const bad: unknown[] = [
      null,
      'ready',
      [{ type: 'ready' }],
      { type: 'fs/delete', path: '/' },
      { type: 'chat/send', id: 'r1' },
      { type: 'chat/send', id: '', text: 'hi' },
      { type: 'thread/loadOlder', id: 'r', beforeId: -1 },
      { type: 'thread/loadOlder', id: 'r', beforeId: 1.5 },
      { type: 'thread/loadOlder', id: 'r', beforeId: Number.MAX_SAFE_INTEGER + 2 },
      { type: 'thread/loadOlder', id: 'r', beforeIndex: 3 },
      { type: 'command/run', command: 'workbench.action.terminal.new' },
      { type: 'setup/apply', id: 'r', baseUrl: 'http://x/v1', model: 'm', api: 'grpc' },
      { type: 'setup/apply', id: 'r', baseUrl: '', model: 'm', api: 'responses' },
      { type: 'setup/useVscodeModel', id: 'r', model: '' },
      { type: 'setup/listModels', id: 'r', baseUrl: 'x'.repeat(2_001) },
      { type: 'turn/edit', id: 'r', turnId: 4 },
      { type: 'turn/edit', id: 'r', turnId: -1, text: 'x' },
      { type: 'turn/edit', id: 'r', turnId: 4, text: 'x'.repeat(MAX_MESSAGE_CHARS + 1) },
      { type: 'turn/regenerate', turnId: 4 },
      { type: 'turn/switchVersion', turnId: 4, direction: 'sideways' },
      { type: 'turn/switchVersion', turnId: 4, direction: 'next', expectedLastRowId: 1.5 },
      { type: 'thread/fork' },
      { type: 'thread/fork', turnId: '3' },
    ];
    for (const raw of bad) assert.equal(parseWebviewMessage(raw).ok, false, JSON.stringify(raw));
  });

  test('refuses oversized strings instead of passing them on', () => {
    assert.equal(parseWebviewMessage({ type: 'chat/send', id: 'r', text: 'x'.repeat(MAX_MESSAGE_CHARS + 1) }).ok, false);
    assert.equal(parseWebviewMessage({ type: 'chat/abort', id: 'i'.repeat(1000) }).ok, false);
  });

  test('says which type it ignored, for the log, on one line', () => {
    const result = parseWebviewMessage({ type: 'evil/thing\nFAKE LOG LINE' });
    assert.equal(result.ok, false);
    if (!result.ok) {
      assert.match(result.reason, /evil\/thing/);
      assert.doesNotMatch(result.reason, /\n/);
    }
  });

  test('refuses a type that is an object which cannot become a string, without throwing', () => {
    for (const raw of [{ type: { toString: 1 } }, JSON.parse('{"type":{"toString":1}}'), { type: { toString: () => ({}) } }, { type: Object.create(null) }]) {
      const result = parseWebviewMessage(raw);
      assert.equal(result.ok, false);
      if (!result.ok) assert.match(result.reason, /type object/);
    }
  });

  test('refuses messages whose fields cannot be read, without throwing', () => {
    const revocable = Proxy.revocable({ type: 'ready' }, {});
    revocable.revoke();
    const throwing = new Proxy({ type: 'ready' }, { get: () => { throw new Error('no'); } });
    const getter = { get type(): string { throw new Error('no'); } };
    for (const raw of [revocable.proxy, throwing, getter]) assert.equal(parseWebviewMessage(raw).ok, false);
  });

  test('keeps only the protocol fields, in a copy the sender cannot change', () => {
    const raw = { type: 'chat/abort', id: 'r1', extra: 'dropped' };
    const result = parseWebviewMessage(raw);
    assert.deepEqual(result, { ok: true, message: { type: 'chat/abort', id: 'r1' } });
    if (result.ok) assert.notEqual(result.message, raw);
  });
});

describe('protocol schemas', () => {
  test('WEBVIEW_MESSAGE_TYPES lists every message type the webview may send, once', () => {
    assert.deepEqual([...WEBVIEW_MESSAGE_TYPES].sort(), [...new Set(everyMessage.map((message) => message.type))].sort());
  });

  test('a turn says which of its versions is shown, counted from 1, only when it has several; a snapshot names its last row', () => {
    const turn = (versions: unknown) => ({ id: 12, entries: [{ kind: 'user' as const, text: 'q' }], versions });
    const snapshot = { thread: { id: 't', title: '' }, hasOlder: false, canUndo: false, canRedo: false, model: 'm', lastRowId: 14 };
    assert.equal(snapshotSchema.safeParse({ ...snapshot, turns: [turn({ index: 2, count: 3 })] }).success, true);
    assert.equal(snapshotSchema.safeParse({ ...snapshot, turns: [turn(undefined)] }).success, true);
    for (const bad of [{ index: 0, count: 2 }, { index: 3, count: 2 }, { index: 1, count: 1 }, { index: 1.5, count: 2 }, { count: 2 }]) {
      assert.equal(snapshotSchema.safeParse({ ...snapshot, turns: [turn(bad)] }).success, false, JSON.stringify(bad));
    }
    assert.equal(snapshotSchema.safeParse({ ...snapshot, turns: [], lastRowId: -1 }).success, false);
  });

  test('a page names the turn before it exactly when older turns exist', () => {
    const turns = [{ id: 12, entries: [{ kind: 'user' as const, text: 'q' }] }];
    assert.equal(turnPageSchema.safeParse({ turns, hasOlder: true, olderId: 7 }).success, true);
    assert.equal(turnPageSchema.safeParse({ turns, hasOlder: false }).success, true);
    assert.equal(turnPageSchema.safeParse({ turns, hasOlder: true }).success, false);
    assert.equal(turnPageSchema.safeParse({ turns, hasOlder: false, olderId: 7 }).success, false);
    const snapshot = { thread: { id: 't', title: '' }, turns, hasOlder: true, canUndo: false, canRedo: false, model: 'm' };
    assert.equal(snapshotSchema.safeParse(snapshot).success, false);
    assert.equal(snapshotSchema.safeParse({ ...snapshot, olderId: 3 }).success, true);
  });

  test('a reply carries the value type its request names', () => {
    const request: RequestOf<'thread/loadOlder'> = { type: 'thread/loadOlder', id: 'o1', beforeId: 12 };
    const value: ReplyValue<'thread/loadOlder'> = { turns: [{ id: 11, entries: [] }], hasOlder: false } satisfies TurnPage;
    const replies: Reply<'thread/loadOlder'>[] = [
      { type: 'reply', id: request.id, ok: true, value },
      { type: 'reply', id: request.id, ok: false, error: 'gone' },
    ];
    for (const reply of replies) {
      const message: HostMessage = reply;
      assert.deepEqual(hostMessageSchema.parse(message), reply);
    }
    assert.equal(hostMessageSchema.safeParse({ type: 'reply', id: 'o1', ok: true, value: { turns: 'no' } }).success, false);
  });

  test('the webview bundle carries no zod: it imports the protocol as types only', async () => {
    const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
    const result = await esbuild.build({ absWorkingDir: repoRoot, entryPoints: ['src/webview/main.ts'], bundle: true, write: false, metafile: true, platform: 'browser', format: 'iife', external: ['*.css'], logLevel: 'silent' });
    const inputs = Object.keys(result.metafile.inputs);
    assert.ok(inputs.some((file) => file.startsWith('src/webview/')), 'the bundle was built from the webview');
    assert.deepEqual(inputs.filter((file) => /node_modules\/zod\/|src\/shared\//.test(file)), []);
  });
});
