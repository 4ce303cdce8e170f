import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { PgHistoryStore } from '../../src/core/store/pg/pgHistoryStore.ts';
import { PG_SCHEMA_VERSION, SDK_TABLES } from '../../src/core/store/pg/pgSchema.ts';
import { assistant, historyStoreContract, user } from './helpers/historyStoreContract.ts';
import { sharedPostgres, stopSharedPostgres } from './helpers/postgresServer.ts';
import { sdkAddItems, sdkClearSession, sdkGetItems, withClient } from './helpers/sqlAlchemySql.ts';

// The same contract as SQLite's, on a real PostgreSQL started for this file (one fresh database
// per case); the writer going around the store is the SQL the Python SDK's SQLAlchemySession sends.
after(stopSharedPostgres);

historyStoreContract({
  name: 'PostgreSQL',
  async open() {
    const url = await (await sharedPostgres()).createDatabase();
    const store = await PgHistoryStore.open({ connectionString: url });
    return {
      store,
      outsideAdd: (threadId, items) => withClient(url, (client) => sdkAddItems(client, threadId, items)),
      outsideClear: (threadId) => withClient(url, (client) => sdkClearSession(client, threadId)),
      reopen: () => PgHistoryStore.open({ connectionString: url }),
      answerRecordCount: (threadId) =>
        withClient(url, async (client) => Number((await client.query('SELECT count(*) AS n FROM session_chat_answers WHERE session_id = $1', [threadId])).rows[0]?.n)),
      close: () => store.close(),
    };
  },
});

describe('PostgreSQL store: schema, SDK interplay, limits', () => {
  const fresh = async () => (await sharedPostgres()).createDatabase();

  test('the SDK tables are exactly what SQLAlchemySession creates on PostgreSQL; our schema version is recorded once', async () => {
    const url = await fresh();
    const store = await PgHistoryStore.open({ connectionString: url });
    await store.close();
    const again = await PgHistoryStore.open({ connectionString: url });
    await again.close();
    await withClient(url, async (client) => {
      const columns = await client.query(
        "SELECT table_name, column_name, data_type, is_nullable, column_default FROM information_schema.columns WHERE table_name IN ('agent_sessions', 'agent_messages') ORDER BY table_name, ordinal_position",
      );
      assert.deepEqual(columns.rows.map((c) => [c.table_name, c.column_name, c.data_type, c.is_nullable, c.column_default]), [
        ['agent_messages', 'id', 'integer', 'NO', "nextval('agent_messages_id_seq'::regclass)"],
        ['agent_messages', 'session_id', 'character varying', 'NO', null],
        ['agent_messages', 'message_data', 'text', 'NO', null],
        ['agent_messages', 'created_at', 'timestamp without time zone', 'NO', 'CURRENT_TIMESTAMP'],
        ['agent_sessions', 'session_id', 'character varying', 'NO', null],
        ['agent_sessions', 'created_at', 'timestamp without time zone', 'NO', 'CURRENT_TIMESTAMP'],
        ['agent_sessions', 'updated_at', 'timestamp without time zone', 'NO', 'CURRENT_TIMESTAMP'],
      ]);
      const index = await client.query("SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_agent_messages_session_time'");
      assert.match(String(index.rows[0]?.indexdef), /ON public\.agent_messages USING btree \(session_id, created_at\)/);
      const fk = await client.query("SELECT confdeltype FROM pg_constraint WHERE conrelid = 'agent_messages'::regclass AND contype = 'f'");
      assert.deepEqual(fk.rows, [{ confdeltype: 'c' }], 'messages cascade from their session');
      assert.deepEqual((await client.query('SELECT version FROM session_chat_schema')).rows, [{ version: PG_SCHEMA_VERSION }]);
    });
  });

  test('a database the SDK wrote first: its sessions become threads, and the SDK reads ours in our order', async () => {
    const url = await fresh();
    await withClient(url, async (client) => {
      // What SQLAlchemySession(create_tables=True) runs before its first write, then one add_items.
      await client.query(SDK_TABLES);
      await sdkAddItems(client, 'py-session', [user('Written by a Python script, café'), assistant('answer')]);
    });
    const store = await PgHistoryStore.open({ connectionString: url });
    try {
      const adopted = await store.getThread('py-session');
      assert.equal(adopted?.title, 'Written by a Python script, café');
      assert.equal(adopted?.workspaceKey, '');
      assert.equal((await store.search('cafe')).length, 1, 'accents are folded in rows the SDK escaped as \\u00e9');
      const t = await store.createThread('w');
      await store.appendItems(t.id, [user('q0'), assistant('a0')]);
      await store.appendItems(t.id, [user('q1')]);
      const edited = await store.editQuestion(t.id, (await store.lastItem(t.id))!.rowId, 'q1 edited', (await store.lastItem(t.id))!.rowId);
      assert.equal(edited.status, 'done');
      const sdkView = await withClient(url, (client) => sdkGetItems(client, t.id));
      assert.deepEqual(sdkView, await store.getItems(t.id));
    } finally {
      await store.close();
    }
  });

  test('two windows opening a fresh database at once migrate it once and both work', async () => {
    const url = await fresh();
    const [a, b] = await Promise.all([PgHistoryStore.open({ connectionString: url }), PgHistoryStore.open({ connectionString: url })]);
    try {
      const ta = await a.createThread('a');
      await b.appendItems(ta.id, [user('from b')]);
      assert.deepEqual((await a.getItems(ta.id)).map((item) => item.content), ['from b']);
    } finally {
      await a.close();
      await b.close();
    }
  });

  test('a statement stuck behind another client\'s lock fails after the statement timeout instead of hanging', async () => {
    const url = await fresh();
    const store = await PgHistoryStore.open({ connectionString: url, statementTimeoutMs: 300 });
    const t = await store.createThread('w');
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query('SELECT 1 FROM agent_sessions WHERE session_id = $1 FOR UPDATE', [t.id]);
      const started = Date.now();
      await assert.rejects(store.appendItems(t.id, [user('blocked')]), /statement timeout/);
      assert.ok(Date.now() - started < 5000);
      await other.query('ROLLBACK');
      assert.ok((await store.appendItems(t.id, [user('after')])) > 0, 'the pool is usable afterwards');
    } finally {
      await other.end();
      await store.close();
    }
  });

  test('the description names the server and database, never the user or password', async () => {
    const url = await fresh();
    const withSecret = url.replace('postgresql://postgres@', 'postgresql://postgres:s3cret-pass@');
    const store = await PgHistoryStore.open({ connectionString: withSecret });
    try {
      assert.match(store.description, /^PostgreSQL at 127\.0\.0\.1:\d+\/t_[0-9a-f]+$/);
      assert.doesNotMatch(store.description, /s3cret|postgres@/);
    } finally {
      await store.close();
    }
  });
});
