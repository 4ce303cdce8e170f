import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { checkConnectionString, classifyPgError, driverConnectionString, redactConnection, troubleWords } from '../../src/core/store/pg/pgConnection.ts';
import { PgHistoryStore } from '../../src/core/store/pg/pgHistoryStore.ts';
import { SqliteHistoryStore } from '../../src/core/store/sqliteHistoryStore.ts';
import { StoreUnavailableError, SwitchingStore, unavailableStore } from '../../src/core/store/switchingStore.ts';
import { sharedPostgres, stopSharedPostgres, type PostgresServer } from './helpers/postgresServer.ts';

const userText = (text: string) => ({ role: 'user', content: text }) as never;

describe('connection strings: checked, TLS as sslmode says, never repeated', () => {
  test('the form is checked without echoing the string', () => {
    assert.deepEqual(checkConnectionString('postgresql://u:p@db.example:5432/chat?sslmode=require'), { ok: true });
    assert.deepEqual(checkConnectionString('postgres://db.example/chat'), { ok: true });
    for (const bad of ['', 'mysql://u:s3cretpw@h/db', 'not a url s3cretpw', 'postgresql://u:s3cretpw@h/db?sslmode=maybe']) {
      const result = checkConnectionString(bad);
      assert.equal(result.ok, false, bad);
      if (!result.ok) assert.doesNotMatch(result.reason, /s3cretpw/);
    }
  });

  test("sslmode keeps libpq's meaning for the driver", () => {
    assert.equal(driverConnectionString('postgresql://h/db'), 'postgresql://h/db');
    assert.match(driverConnectionString('postgresql://h/db?sslmode=require'), /sslmode=require&uselibpqcompat=true/);
    assert.match(driverConnectionString('postgresql://h/db?sslmode=verify-full'), /uselibpqcompat=true/);
    assert.match(driverConnectionString('postgresql://h/db?sslmode=allow'), /sslmode=prefer/);
    assert.equal(driverConnectionString('postgresql://h/db?sslmode=disable&uselibpqcompat=false'), 'postgresql://h/db?sslmode=disable&uselibpqcompat=false');
  });

  test('redaction removes the string, its password and user, and any credentials in URLs', () => {
    const secret = 'postgresql://chat_user:p%40ss%20word!@db.internal:5432/chat';
    const text = `failed: ${secret} / password p%40ss%20word! / p@ss word! / chat_user / https://a:b@c.example/x`;
    const redacted = redactConnection(text, secret);
    for (const leak of [secret, 'p%40ss%20word!', 'p@ss word!', 'chat_user', 'a:b@']) assert.ok(!redacted.includes(leak), `${leak} in ${redacted}`);
    assert.match(redacted, /https:\/\/\*\*\*@c\.example/);
  });
});

describe('SwitchingStore on SQLite and PostgreSQL', () => {
  let server: PostgresServer;
  const scratch = mkdtempSync(join(tmpdir(), 'switching-store-'));
  before(async () => {
    server = await sharedPostgres();
  });
  after(async () => {
    await stopSharedPostgres();
    rmSync(scratch, { recursive: true, force: true });
  });

  test('a switch moves every call and the change listeners to the new backend, and closes the old one', async () => {
    const local = await SqliteHistoryStore.open(join(scratch, 'a.db'));
    const localThread = await local.createThread('ws', 'only local');
    const url = await server.createDatabase();
    const remote = await PgHistoryStore.open({ connectionString: url });
    const store = new SwitchingStore(local);
    let changes = 0;
    const stop = store.onDidChange(() => changes++);
    assert.deepEqual((await store.listThreads('ws')).map((t) => t.title), ['only local']);
    await store.use(remote);
    assert.equal(changes, 1, 'a switch tells the listeners');
    assert.deepEqual(await store.listThreads('ws'), []);
    assert.equal(await store.getThread(localThread.id), undefined);
    assert.match(store.description, /^PostgreSQL at 127\.0\.0\.1:\d+\/t_/);
    await assert.rejects(local.listThreads('ws'), 'the old backend is closed');

    // Another machine writes: the listener (moved to PostgreSQL's LISTEN) hears it.
    const other = await PgHistoryStore.open({ connectionString: url });
    const before = changes;
    const deadline = Date.now() + 5000;
    const thread = await other.createThread('ws', 'from another machine');
    await other.appendItems(thread.id, [userText('hello')]);
    while (changes === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    assert.ok(changes > before, 'a change from another client reaches the listeners');
    assert.deepEqual((await store.listThreads('ws')).map((t) => t.title), ['from another machine']);
    stop();
    await other.close();
    await store.close();
  });

  test('failures go through the hook; a server that is away is told apart from a bad call', async () => {
    const url = await server.createDatabase();
    const remote = await PgHistoryStore.open({ connectionString: url, statementTimeoutMs: 200 });
    const seen: Array<string | undefined> = [];
    let succeeded = 0;
    const store = new SwitchingStore(remote, {
      failed: (error) => {
        seen.push(classifyPgError(error));
        return classifyPgError(error) ? new StoreUnavailableError(`PostgreSQL: ${troubleWords(error, url)}`) : error;
      },
      succeeded: () => succeeded++,
    });
    await store.listThreads();
    assert.equal(succeeded, 1);
    await assert.rejects(store.renameThread('no-such-thread', 'x'), (error: Error) => !(error instanceof StoreUnavailableError));
    assert.deepEqual(seen, [undefined]);
    await store.close();

    // Nobody listens on this port: unreachable, in words without the string.
    const closedPort = url.replace(`:${server.port}/`, ':1/');
    await assert.rejects(PgHistoryStore.open({ connectionString: closedPort, connectTimeoutMs: 2000 }), (error) => {
      assert.equal(classifyPgError(error), 'unreachable');
      assert.equal(troubleWords(error, closedPort), 'connection refused');
      return true;
    });
    // The server answers no: a database that does not exist.
    const missing = url.replace(/\/t_[0-9a-f]+$/, '/no_such_database');
    await assert.rejects(PgHistoryStore.open({ connectionString: missing }), (error) => {
      assert.equal(classifyPgError(error), 'refused');
      assert.equal(troubleWords(error, missing), 'the database does not exist');
      return true;
    });
  });

  test('a statement that outlives statement_timeout is "slow"', async () => {
    const url = await server.createDatabase();
    const { PgDatabase } = await import('../../src/core/store/pg/pgDatabase.ts');
    const db = new PgDatabase({ connectionString: url, statementTimeoutMs: 100 });
    await assert.rejects(db.query('SELECT pg_sleep(2)'), (error) => classifyPgError(error) === 'slow');
    await db.close();
  });

  test('the stand-in for a server that is away writes nothing and fails every call with the same words', async () => {
    const stand = unavailableStore('PostgreSQL at db.example:5432/chat', () => new StoreUnavailableError('PostgreSQL at db.example:5432/chat is unreachable'));
    const store = new SwitchingStore(stand);
    await assert.rejects(store.appendItems('t', [userText('x')]), StoreUnavailableError);
    await assert.rejects(store.createThread('ws'), /unreachable/);
    assert.equal(store.description, 'PostgreSQL at db.example:5432/chat');
    const stop = store.onDidChange(() => undefined);
    stop();
    await store.close();
  });
});
