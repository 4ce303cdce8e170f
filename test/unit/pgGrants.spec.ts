// The grants the README promises a least-privilege database user needs, tried on a real server: a role
// that owns nothing and is no superuser connects, creates the tables (and pg_trgm, a trusted extension),
// writes and searches; without CREATE on the schema it is refused with words that say so.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { classifyPgError, troubleWords } from '../../src/core/store/pg/pgConnection.ts';
import { PgHistoryStore } from '../../src/core/store/pg/pgHistoryStore.ts';
import { sharedPostgres, stopSharedPostgres, type PostgresServer } from './helpers/postgresServer.ts';

async function asAdmin(url: string, statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** The same database as `url`, as `role` (the test server trusts loopback, so no password is checked). */
const as = (url: string, role: string) => url.replace('postgresql://postgres@', `postgresql://${role}:unused@`);

describe('a least-privilege PostgreSQL user', () => {
  let server: PostgresServer;
  before(async () => {
    server = await sharedPostgres();
  });
  after(stopSharedPostgres);

  test('CONNECT + CREATE on the database and USAGE + CREATE on the schema are enough (pg_trgm included)', async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    await asAdmin(url, [
      'CREATE ROLE chat_user LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE',
      'REVOKE ALL ON DATABASE ' + database + ' FROM PUBLIC',
      'REVOKE ALL ON SCHEMA public FROM PUBLIC',
      `GRANT CONNECT, CREATE ON DATABASE ${database} TO chat_user`,
      'GRANT USAGE, CREATE ON SCHEMA public TO chat_user',
    ]);
    const store = await PgHistoryStore.open({ connectionString: as(url, 'chat_user') });
    const thread = await store.createThread('git:example.com/team/app', 'grants');
    await store.appendItems(thread.id, [{ role: 'user', content: 'trigram search needs pg_trgm' } as never]);
    assert.equal((await store.search('trigram')).length, 1);
    await store.close();
  });

  test('with pg_trgm created beforehand by an administrator, CREATE on the database is not needed', async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    await asAdmin(url, [
      'CREATE ROLE chat_user2 LOGIN',
      `REVOKE ALL ON DATABASE ${database} FROM PUBLIC`,
      'REVOKE ALL ON SCHEMA public FROM PUBLIC',
      'CREATE EXTENSION pg_trgm',
      `GRANT CONNECT ON DATABASE ${database} TO chat_user2`,
      'GRANT USAGE, CREATE ON SCHEMA public TO chat_user2',
    ]);
    const store = await PgHistoryStore.open({ connectionString: as(url, 'chat_user2') });
    await store.close();
  });

  test('without CREATE on the schema the connection test fails, as "refused", naming the missing permission', async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    await asAdmin(url, ['CREATE ROLE chat_reader LOGIN', 'REVOKE ALL ON SCHEMA public FROM PUBLIC', `GRANT CONNECT ON DATABASE ${database} TO chat_reader`, 'GRANT USAGE ON SCHEMA public TO chat_reader']);
    await assert.rejects(PgHistoryStore.open({ connectionString: as(url, 'chat_reader') }), (error) => {
      assert.equal(classifyPgError(error), 'refused');
      assert.equal(troubleWords(error, url), 'the user lacks a permission');
      return true;
    });
  });

  test("agent_messages made by another role (an SDK's user) needs to be owned by ours (for our trigger and indexes)", async () => {
    const url = await server.createDatabase();
    const database = new URL(url).pathname.slice(1);
    await asAdmin(url, [
      'CREATE ROLE sdk_owner LOGIN',
      'CREATE ROLE chat_user3 LOGIN',
      `GRANT CONNECT, CREATE ON DATABASE ${database} TO sdk_owner, chat_user3`,
      'GRANT USAGE, CREATE ON SCHEMA public TO sdk_owner, chat_user3',
    ]);
    await asAdmin(as(url, 'sdk_owner'), [
      'CREATE TABLE agent_sessions (session_id VARCHAR PRIMARY KEY, created_at TIMESTAMP NOT NULL DEFAULT now(), updated_at TIMESTAMP NOT NULL DEFAULT now())',
      'CREATE TABLE agent_messages (id SERIAL PRIMARY KEY, session_id VARCHAR NOT NULL REFERENCES agent_sessions(session_id) ON DELETE CASCADE, message_data TEXT NOT NULL, created_at TIMESTAMP NOT NULL DEFAULT now())',
      'GRANT ALL ON agent_sessions, agent_messages TO chat_user3',
      'GRANT ALL ON SEQUENCE agent_messages_id_seq TO chat_user3',
    ]);
    await assert.rejects(PgHistoryStore.open({ connectionString: as(url, 'chat_user3') }), (error) => classifyPgError(error) === 'refused');
    await asAdmin(url, ['ALTER TABLE agent_sessions OWNER TO chat_user3', 'ALTER TABLE agent_messages OWNER TO chat_user3']);
    const store = await PgHistoryStore.open({ connectionString: as(url, 'chat_user3') });
    await store.close();
  });
});
