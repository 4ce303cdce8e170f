import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SDK_SCHEMA } from '../../src/core/session/sdkSchema.ts';
import { openDatabase, type DriverName } from '../../src/core/session/sqliteDriver.ts';
import { ThreadStore } from '../../src/core/threads/threadStore.ts';
import { writeExportFile } from '../../src/core/transfer/exportFile.ts';
import type { ThreadRecord } from '../../src/core/transfer/threadRecord.ts';
import { collectImport, skipsOf, threadsOf } from './helpers/importEvents.ts';
import { tempDir } from './helpers/tempDir.ts';

const temp = tempDir('session-chat-sqlite-import-');
after(() => temp.remove());
let fileNumber = 0;
const nextPath = (name: string): string => join(temp.dir, `${++fileNumber}-${name}`);

/**
 * AdvancedSQLiteSession's structure table as openai/openai-agents-python creates it
 * (src/agents/extensions/memory/advanced_sqlite_session.py, commit 0383b9d1).
 */
const MESSAGE_STRUCTURE = `
CREATE TABLE message_structure (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL,
  message_id INTEGER NOT NULL,
  branch_id TEXT NOT NULL DEFAULT 'main',
  message_type TEXT NOT NULL,
  sequence_number INTEGER NOT NULL,
  user_turn_number INTEGER,
  branch_turn_number INTEGER,
  tool_name TEXT,
  created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP,
  FOREIGN KEY (session_id) REFERENCES agent_sessions(session_id) ON DELETE CASCADE,
  FOREIGN KEY (message_id) REFERENCES agent_messages(id) ON DELETE CASCADE
);`;

/** Rows as Python's json.dumps writes them: spaces after separators, non-ASCII escaped. */
const pyUser = (text: string): string => `{"role": "user", "content": "${text}"}`;
const pyAnswer = (text: string): string => `{"id": "msg_1", "type": "message", "role": "assistant", "status": "completed", "content": [{"type": "output_text", "text": "${text}", "annotations": []}]}`;

/** An SDK file written the way the Python SDK's SQLiteSession writes it. */
function sdkFile(sessions: Record<string, string[]>, driver?: DriverName): string {
  const path = nextPath('conversations.db');
  const { db } = openDatabase(path, driver ? { driver } : {});
  db.exec(SDK_SCHEMA);
  for (const [id, rows] of Object.entries(sessions)) {
    db.prepare("INSERT INTO agent_sessions (session_id, created_at, updated_at) VALUES (?, '2026-11-20 08:00:00', '2026-11-21 09:30:15')").run(id);
    for (const row of rows) db.prepare('INSERT INTO agent_messages (session_id, message_data) VALUES (?, ?)').run(id, row);
  }
  db.close();
  return path;
}

/** The row id of a thread's last question: the id of its last turn. */
function lastTurnId(store: ThreadStore, threadId: string): number {
  const questions = store.readView(threadId, 50).page.items.filter((entry) => (entry.item as { role?: unknown }).role === 'user');
  return questions.at(-1)!.rowId;
}

const digest = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('import: the Agents SDK\'s SQLite files', () => {
  for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
    test(`a SQLiteSession file (${driver}): one thread per session, rows byte for byte, title from the first question, times from the session row, file untouched`, async () => {
      const rows = [pyUser('Qu\\u00e9 tal? How are you'), pyAnswer('Fine.'), '{"type": "function_call", "call_id": "c1", "name": "f", "arguments": "{}"}'];
      const path = sdkFile({ user_123: rows, empty_session: [] }, driver);
      const before = digest(path);
      const previous = process.env.SESSION_CHAT_SQLITE_DRIVER;
      process.env.SESSION_CHAT_SQLITE_DRIVER = driver;
      try {
        const events = await collectImport([path]);
        assert.deepEqual(skipsOf(events), []);
        assert.deepEqual(threadsOf(events), [
          { id: 'agents-sdk-user_123', title: 'Qué tal? How are you', workspaceKey: '', createdAt: Date.UTC(2026, 10, 20, 8), updatedAt: Date.UTC(2026, 10, 21, 9, 30, 15), pinned: false, items: rows },
        ]);
        assert.ok(events.every((event) => event.kind !== 'thread' || event.format === 'agents-sdk-sqlite'));
      } finally {
        if (previous === undefined) delete process.env.SESSION_CHAT_SQLITE_DRIVER;
        else process.env.SESSION_CHAT_SQLITE_DRIVER = previous;
      }
      assert.equal(digest(path), before, 'the source file is only read');
    });
  }

  test('an AdvancedSQLiteSession file: the main branch in sequence order, without the rows only another branch holds', async () => {
    const path = nextPath('advanced.db');
    const { db } = openDatabase(path);
    db.exec(SDK_SCHEMA + MESSAGE_STRUCTURE);
    db.prepare("INSERT INTO agent_sessions (session_id) VALUES ('s1')").run();
    const message = (text: string): number => Number(db.prepare("INSERT INTO agent_messages (session_id, message_data) VALUES ('s1', ?)").run(text).lastInsertRowid);
    const structure = (messageId: number, branch: string, sequence: number, turn: number, type: string): void => {
      db.prepare("INSERT INTO message_structure (session_id, message_id, branch_id, message_type, sequence_number, user_turn_number, branch_turn_number) VALUES ('s1', ?, ?, ?, ?, ?, ?)").run(messageId, branch, type, sequence, turn, turn);
    };
    // Main: q1 a1 q2 a2. Then create_branch_from_turn(2) copies turn 1 (same message ids) into
    // 'alt', which gets its own q2' a2'; main stays the branch a new session object opens on.
    const q1 = message(pyUser('first')), a1 = message(pyAnswer('one')), q2 = message(pyUser('second')), a2 = message(pyAnswer('two'));
    [q1, a1, q2, a2].forEach((id, i) => structure(id, 'main', i + 1, i < 2 ? 1 : 2, i % 2 === 0 ? 'user' : 'assistant'));
    structure(q1, 'alt', 5, 1, 'user');
    structure(a1, 'alt', 6, 1, 'assistant');
    const q2b = message(pyUser('second, differently')), a2b = message(pyAnswer('two b'));
    structure(q2b, 'alt', 7, 2, 'user');
    structure(a2b, 'alt', 8, 2, 'assistant');
    db.close();
    const [record] = threadsOf(await collectImport([path]));
    assert.equal(record!.id, 'agents-sdk-s1');
    assert.deepEqual(record!.items, [pyUser('first'), pyAnswer('one'), pyUser('second'), pyAnswer('two')]);
  });

  test("another Session Chat sessions.db: ids, titles, workspaces, times, pins and versions, exactly as that store exports them", async () => {
    const path = nextPath('sessions.db');
    const store = ThreadStore.open(path);
    const pinned = store.createThread('file:///home/me/a', 'Pinned one');
    store.addItems(pinned.id, [{ type: 'message', role: 'user', content: 'q1' }, { type: 'message', role: 'assistant', content: 'a1' }]);
    store.setPinned(pinned.id, true);
    const edited = store.createThread('file:///home/me/b', 'Edited one');
    store.addItems(edited.id, [{ type: 'message', role: 'user', content: 'first question' }, { type: 'message', role: 'assistant', content: 'first answer' }]);
    store.addItems(edited.id, [{ type: 'message', role: 'user', content: 'second question' }, { type: 'message', role: 'assistant', content: 'second answer' }]);
    const secondTurn = lastTurnId(store, edited.id);
    store.editQuestion(edited.id, secondTurn, 'second question, edited', store.lastRowId(edited.id));
    const expected = [store.exportThread(pinned.id)!, store.exportThread(edited.id)!];
    store.close();
    assert.ok(expected[1]!.versions && expected[1]!.versions.length === 1, 'the edit made a second version');
    const events = await collectImport([path]);
    assert.deepEqual(skipsOf(events), []);
    const imported = threadsOf(events).sort((a, b) => a.title.localeCompare(b.title));
    assert.deepEqual(imported, expected.sort((a, b) => a.title.localeCompare(b.title)));
  });

  test('an SQLite file without the SDK\'s tables: named, it is reported; in a folder, it is counted', async () => {
    const folder = nextPath('folder');
    mkdirSync(folder);
    const path = join(folder, 'state.vscdb');
    const { db } = openDatabase(path);
    db.exec('CREATE TABLE ItemTable (key TEXT UNIQUE ON CONFLICT REPLACE, value BLOB)');
    db.close();
    assert.deepEqual(skipsOf(await collectImport([path])), [{ source: path, reason: "It is an SQLite database without the Agents SDK's tables (agent_sessions, agent_messages)." }]);
    assert.deepEqual(skipsOf(await collectImport([folder])), [{ source: folder, reason: 'One JSON or SQLite file in it holds no conversation Session Chat can import.' }]);
  });
});

describe('round trip through our export', () => {
  test('store -> export file -> import -> empty store: identical threads, items byte for byte, versions, and a second import changes nothing', async () => {
    const sourceStore = ThreadStore.open(nextPath('source.db'));
    const thread = sourceStore.createThread('file:///home/me/a', 'Round trip');
    sourceStore.addItems(thread.id, [{ type: 'message', role: 'user', content: 'q1 é' }, { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'a1' }] }]);
    sourceStore.addItems(thread.id, [{ type: 'message', role: 'user', content: 'q2' }, { type: 'message', role: 'assistant', content: 'a2' }]);
    const turn = lastTurnId(sourceStore, thread.id);
    sourceStore.regenerate(thread.id, turn, sourceStore.lastRowId(thread.id));
    sourceStore.addItems(thread.id, [{ type: 'message', role: 'assistant', content: 'a2, again' }]);
    const exported = sourceStore.exportThread(thread.id)!;
    sourceStore.close();

    const file = nextPath('export.json');
    async function* one(): AsyncGenerator<ThreadRecord> {
      yield exported;
    }
    await writeExportFile(file, one(), { scope: 'thread', exportedAt: Date.now() });
    const [read] = threadsOf(await collectImport([file]));
    assert.deepEqual(read, exported);

    const target = ThreadStore.open(nextPath('target.db'));
    const first = target.importThread(read!, 'file:///home/me/a');
    assert.equal(first.status, 'created');
    assert.deepEqual(target.exportThread(thread.id), exported);
    const second = target.importThread(read!, 'file:///home/me/a');
    assert.equal(second.status, 'unchanged');
    assert.equal(target.listThreads().length, 1);
    target.close();
  });
});
