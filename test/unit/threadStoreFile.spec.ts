import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/core/session/sqliteDriver.ts';
import type { Row } from '../../src/core/session/sqliteDriver.ts';
import { SqliteSession } from '../../src/core/session/sqliteSession.ts';
import { SqliteHistoryStore } from '../../src/core/store/sqliteHistoryStore.ts';
import { ThreadStore } from '../../src/core/threads/threadStore.ts';
import { SCHEMA_VERSION } from '../../src/core/threads/threadSchema.ts';
import { tempDir } from './helpers/tempDir.ts';

/** The DDL the Python SDK's SQLiteSession runs, copied from it rather than from our code. */
const PYTHON_SDK_DDL = `
CREATE TABLE IF NOT EXISTS agent_sessions (session_id TEXT PRIMARY KEY, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, updated_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP);
CREATE TABLE IF NOT EXISTS agent_messages (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, message_data TEXT NOT NULL, created_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, FOREIGN KEY (session_id) REFERENCES agent_sessions (session_id) ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS idx_agent_messages_session_id ON agent_messages (session_id, id);
`;

function query(file: string, sql: string): Row[] {
  const { db } = openDatabase(file);
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

function withTemp(fn: (dir: string) => void | Promise<void>) {
  return async () => {
    const tmp = tempDir();
    try {
      await fn(tmp.dir);
    } finally {
      tmp.remove();
    }
  };
}

describe('ThreadStore and the file on disk', () => {
  test('a file with only the SDK tables is adopted: its sessions become threads, its rows untouched', withTemp((dir) => {
    const file = join(dir, 'conversations.db');
    const { db } = openDatabase(file);
    db.exec(PYTHON_SDK_DDL);
    db.exec("INSERT INTO agent_sessions (session_id, created_at, updated_at) VALUES ('user_123', '2025-03-01 10:00:00', '2025-03-02 09:30:00')");
    const insert = db.prepare('INSERT INTO agent_messages (session_id, message_data) VALUES (?, ?)');
    insert.run('user_123', JSON.stringify({ role: 'system', content: 'be brief' }));
    insert.run('user_123', JSON.stringify({ role: 'user', content: [{ type: 'input_text', text: 'What city is the Golden Gate Bridge in?' }] }));
    insert.run('user_123', JSON.stringify({ role: 'assistant', content: 'San Francisco.' }));
    db.close();
    const before = query(file, 'SELECT * FROM agent_messages ORDER BY id');

    const store = ThreadStore.open(file);
    try {
      assert.deepEqual(store.listThreads(), [{
        id: 'user_123', workspaceKey: '', title: 'What city is the Golden Gate Bridge in?',
        createdAt: Date.UTC(2025, 2, 1, 10), updatedAt: Date.UTC(2025, 2, 2, 9, 30), pinned: false,
      }]);
      assert.deepEqual(store.listThreads('file:///project'), []);
      assert.equal(store.getItems('user_123').length, 3);
    } finally {
      store.close();
    }
    assert.deepEqual(query(file, 'SELECT * FROM agent_messages ORDER BY id'), before);
    assert.equal(query(file, 'PRAGMA user_version')[0]!.user_version, SCHEMA_VERSION);
  }));

  test('a file the store wrote reads back through the SDK-shaped SqliteSession', withTemp(async (dir) => {
    const file = join(dir, 'sessions.db');
    const store = ThreadStore.open(file);
    const thread = store.createThread('file:///w');
    store.addItems(thread.id, [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }]);
    store.close();
    const session = new SqliteSession(thread.id, file);
    try {
      assert.deepEqual(await session.getItems(), [{ role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }]);
    } finally {
      session.close();
    }
  }));

  for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
    test(`a file that is not a database is moved aside with its -wal, and a fresh one works (${driver})`, withTemp((dir) => {
      const file = join(dir, 'sessions.db');
      writeFileSync(file, 'this is not a database, just some text '.repeat(200));
      writeFileSync(`${file}-wal`, 'stale wal');
      const store = ThreadStore.open(file, { driver });
      try {
        assert.ok(store.recovered, 'the caller is told');
        assert.match(store.recovered.reason, /not a database/i);
        assert.match(store.recovered.movedTo, /sessions\.db\.corrupt-/);
        assert.match(readFileSync(store.recovered.movedTo, 'utf8'), /^this is not a database/);
        assert.equal(readFileSync(`${store.recovered.movedTo}-wal`, 'utf8'), 'stale wal');
        const thread = store.createThread('w');
        store.addItems(thread.id, [{ role: 'user', content: 'still works' }]);
        assert.equal(store.getItems(thread.id).length, 1);
      } finally {
        store.close();
      }
      const reopened = ThreadStore.open(file, { driver });
      assert.equal(reopened.recovered, undefined);
      assert.equal(reopened.listThreads('w').length, 1);
      reopened.close();
    }));
  }

  test('a database whose pages are damaged is moved aside too, and the error says so', withTemp((dir) => {
    const file = join(dir, 'sessions.db');
    const first = ThreadStore.open(file);
    first.addItems(first.createThread('w').id, [{ role: 'user', content: 'soon unreadable' }]);
    first.close();
    const bytes = readFileSync(file);
    bytes.fill(0xa5, 100, 4096); // keep the 100-byte header, wreck the schema page
    writeFileSync(file, bytes);
    const store = ThreadStore.open(file);
    try {
      assert.match(store.recovered?.reason ?? '', /malformed|corrupt|not a database/i);
      assert.deepEqual(readFileSync(store.recovered!.movedTo), bytes);
      assert.deepEqual(store.listThreads(), []);
    } finally {
      store.close();
    }
  }));

  test('a file from a newer version keeps its schema version and still opens', withTemp((dir) => {
    const file = join(dir, 'sessions.db');
    const first = ThreadStore.open(file);
    const thread = first.createThread('w', 'Kept');
    first.close();
    const { db } = openDatabase(file);
    db.exec('PRAGMA user_version = 99');
    db.close();
    const store = ThreadStore.open(file);
    try {
      assert.equal(store.getThread(thread.id)?.title, 'Kept');
    } finally {
      store.close();
    }
    assert.equal(query(file, 'PRAGMA user_version')[0]!.user_version, 99);
  }));

  test('undo and redo keep a corrupt row verbatim instead of losing or throwing on it', withTemp((dir) => {
    const file = join(dir, 'sessions.db');
    const store = ThreadStore.open(file);
    try {
      const thread = store.createThread('w');
      store.addItems(thread.id, [{ role: 'user', content: 'q' }]);
      const { db } = openDatabase(file);
      db.prepare('INSERT INTO agent_messages (session_id, message_data) VALUES (?, ?)').run(thread.id, '{"role": "assistant", "cont');
      db.close();
      assert.deepEqual(store.undoTurn(thread.id), { status: 'done', kind: 'turnRemoved', items: [{ role: 'user', content: 'q' }] });
      assert.deepEqual(store.redoTurn(thread.id), { status: 'done', kind: 'turnRestored', items: [{ role: 'user', content: 'q' }] });
      const rows = query(file, 'SELECT message_data FROM agent_messages ORDER BY id').map((r) => r.message_data);
      assert.deepEqual(rows, ['{"role":"user","content":"q"}', '{"role": "assistant", "cont']);
    } finally {
      store.close();
    }
  }));

  test('rows the Python SDK wrote with NaN and Infinity read as Python reads them, and stay as written', withTemp(async (dir) => {
    const file = join(dir, 'conversations.db');
    const { db } = openDatabase(file);
    db.exec(PYTHON_SDK_DDL);
    db.exec("INSERT INTO agent_sessions (session_id) VALUES ('py')");
    // What Python's json.dumps writes for float('nan') and float('inf') (allow_nan is its default).
    const rows = [
      '{"role": "user", "content": "measure it"}',
      '{"type": "function_call", "call_id": "c1", "name": "stats", "arguments": "{\\"values\\": [NaN, 1]}"}',
      '{"type": "function_call_output", "call_id": "c1", "output": {"mean": NaN, "max": Infinity, "min": -Infinity, "list": [NaN,Infinity,-Infinity], "text": "NaN, Infinity and \\"-Infinity\\" in a string"}}',
      '{"role": "assistant", "content": "Infinity"}',
      '{"type": "note", "path": "C:\\\\", "value": -Infinity}',
      '{"role": "assistant", "content": nan}',
      '{"role": "assistant", "content": NaNa}',
      'NaN',
    ];
    const insert = db.prepare('INSERT INTO agent_messages (session_id, message_data) VALUES (?, ?)');
    for (const row of rows) insert.run('py', row);
    db.close();
    const expected = [
      { role: 'user', content: 'measure it' },
      { type: 'function_call', call_id: 'c1', name: 'stats', arguments: '{"values": [NaN, 1]}' },
      { type: 'function_call_output', call_id: 'c1', output: { mean: NaN, max: Infinity, min: -Infinity, list: [NaN, Infinity, -Infinity], text: 'NaN, Infinity and "-Infinity" in a string' } },
      { role: 'assistant', content: 'Infinity' },
      { type: 'note', path: 'C:\\', value: -Infinity },
    ];

    for (const driver of ['better-sqlite3', 'node:sqlite'] as const) {
      const session = new SqliteSession('py', file, { driver });
      try {
        assert.deepEqual(await session.getItems(), expected, `SqliteSession (${driver})`);
        assert.deepEqual(await session.getItems(2), expected.slice(-2), `the latest two valid items (${driver})`);
      } finally {
        session.close();
      }
    }
    const store = await SqliteHistoryStore.open(file);
    try {
      assert.deepEqual(await store.getItems('py'), expected);
      const view = await store.readView('py', 10);
      assert.deepEqual(view.page.items.map((stored) => stored.item), expected);
    } finally {
      await store.close();
    }
    assert.deepEqual(query(file, 'SELECT message_data FROM agent_messages ORDER BY id').map((r) => r.message_data), rows, 'the stored text is untouched');
  }));

  test('Delete Thread removes a thread whose agent_sessions row the Python SDK deleted with foreign keys off', withTemp(async (dir) => {
    const file = join(dir, 'sessions.db');
    const setup = ThreadStore.open(file);
    const thread = setup.createThread('file:///w', 'Cleared in Python');
    const other = setup.createThread('file:///w', 'Stays');
    setup.addItems(thread.id, [{ role: 'user', content: 'q1' }, { role: 'assistant', content: 'a1' }, { role: 'user', content: 'q2' }]);
    setup.undoTurn(thread.id);
    setup.setCurrentThread('file:///w', thread.id);
    setup.close();

    // The Python SDK's clear_session: two DELETEs on a connection with foreign keys off (sqlite3's default).
    const { db } = openDatabase(file);
    db.exec('PRAGMA foreign_keys = OFF');
    db.prepare('DELETE FROM agent_messages WHERE session_id = ?').run(thread.id);
    db.prepare('DELETE FROM agent_sessions WHERE session_id = ?').run(thread.id);
    db.close();

    const store = await SqliteHistoryStore.open(file);
    try {
      assert.deepEqual((await store.listThreads('file:///w')).map((t) => t.id).sort(), [thread.id, other.id].sort(), 'our rows outlived the session row');
      await store.deleteThread(thread.id);
      assert.deepEqual((await store.listThreads('file:///w')).map((t) => t.id), [other.id]);
      assert.equal(await store.getThread(thread.id), undefined);
      assert.equal(await store.currentThreadId('file:///w'), undefined);
    } finally {
      await store.close();
    }
    for (const table of ['session_chat_threads WHERE id', 'session_chat_undo WHERE thread_id', 'session_chat_current WHERE thread_id', 'session_chat_operations WHERE thread_id']) {
      assert.equal(query(file, `SELECT count(*) AS n FROM ${table} = '${thread.id}'`)[0]!.n, 0, table);
    }
  }));

  test('a healthy file is never moved', withTemp((dir) => {
    const file = join(dir, 'sessions.db');
    ThreadStore.open(file).close();
    const store = ThreadStore.open(file);
    assert.equal(store.recovered, undefined);
    store.close();
    assert.ok(existsSync(file));
  }));

  test('when better-sqlite3 cannot load, node:sqlite runs and the caller learns why', withTemp((dir) => {
    const store = ThreadStore.open(join(dir, 'sessions.db'), { loadBetterSqlite3: () => { throw new Error('no prebuilt binary for this platform'); } });
    try {
      assert.equal(store.driver, 'node:sqlite');
      assert.match(store.driverFallbackReason ?? '', /no prebuilt binary/);
      const thread = store.createThread('w');
      store.addItems(thread.id, [{ role: 'user', content: 'works on the fallback' }]);
      assert.equal(store.preview(thread.id), 'works on the fallback');
    } finally {
      store.close();
    }
  }));

  test('when better-sqlite3 loads but its native binary is missing, node:sqlite runs', withTemp((dir) => {
    // What a VSIX without better-sqlite3's prebuilds does: require() works, `new Database()` throws.
    class MissingBinding {
      constructor() {
        throw new Error("Cannot find module '../build/Release/better_sqlite3.node'");
      }
    }
    const store = ThreadStore.open(join(dir, 'sessions.db'), { loadBetterSqlite3: () => MissingBinding });
    try {
      assert.equal(store.driver, 'node:sqlite');
      assert.match(store.driverFallbackReason ?? '', /better_sqlite3\.node/);
      const thread = store.createThread('w');
      store.addItems(thread.id, [{ role: 'user', content: 'still stored' }]);
      assert.equal(store.preview(thread.id), 'still stored');
    } finally {
      store.close();
    }
  }));

  test('SESSION_CHAT_SQLITE_DRIVER forces node:sqlite; by default better-sqlite3 runs', withTemp((dir) => {
    const before = process.env.SESSION_CHAT_SQLITE_DRIVER;
    try {
      delete process.env.SESSION_CHAT_SQLITE_DRIVER;
      const preferred = ThreadStore.open(join(dir, 'a.db'));
      assert.equal(preferred.driver, 'better-sqlite3');
      assert.equal(preferred.driverFallbackReason, undefined);
      preferred.close();
      process.env.SESSION_CHAT_SQLITE_DRIVER = 'node:sqlite';
      const forced = ThreadStore.open(join(dir, 'b.db'));
      assert.equal(forced.driver, 'node:sqlite');
      forced.close();
    } finally {
      if (before === undefined) delete process.env.SESSION_CHAT_SQLITE_DRIVER;
      else process.env.SESSION_CHAT_SQLITE_DRIVER = before;
    }
  }));
});
