import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Item } from '../../src/core/session/session.ts';
import { openDatabase } from '../../src/core/session/sqliteDriver.ts';
import type { Database, DriverName } from '../../src/core/session/sqliteDriver.ts';
import type { SearchHit } from '../../src/core/store/historyStore.ts';
import { SqliteHistoryStore } from '../../src/core/store/sqliteHistoryStore.ts';
import { TURN_START } from '../../src/core/threads/threadSchema.ts';
import { assistant, user } from './helpers/historyStoreContract.ts';
import { tempDir } from './helpers/tempDir.ts';

interface Fixture {
  store: SqliteHistoryStore;
  file: string;
  /** Another connection on the same file, writing with the SDK's own SQL. */
  raw: Database;
}

/** Appends rows as the Python SDK's `SQLiteSession.add_items` does: plain SQL, `json.dumps` text. */
function pythonAdd(raw: Database, sessionId: string, items: Item[]): number[] {
  return raw.transaction(() => {
    raw.prepare('INSERT OR IGNORE INTO agent_sessions (session_id) VALUES (?)').run(sessionId);
    const insert = raw.prepare('INSERT INTO agent_messages (session_id, message_data) VALUES (?, ?)');
    const ids = items.map((item) => Number(insert.run(sessionId, pythonJson(item)).lastInsertRowid));
    raw.prepare('UPDATE agent_sessions SET updated_at = CURRENT_TIMESTAMP WHERE session_id = ?').run(sessionId);
    return ids;
  });
}

/** `json.dumps` with its defaults: ', ' and ': ' separators, everything outside ASCII as \uXXXX. */
function pythonJson(item: Item): string {
  return JSON.stringify(item)
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/,"/g, ', "')
    .replace(/":/g, '": ');
}

const call = (id: string, name: string, args: string): Item => ({ type: 'function_call', call_id: id, name, arguments: args });
const output = (id: string, text: string): Item => ({ type: 'function_call_output', call_id: id, output: text });
const ids = (hits: readonly SearchHit[]) => hits.map((hit) => hit.rowId);
const marked = (hit: SearchHit) => hit.highlights.map(([a, b]) => hit.snippet.slice(a, b));

for (const driver of ['better-sqlite3', 'node:sqlite'] as const satisfies readonly DriverName[]) {
  const run = (name: string, fn: (f: Fixture) => Promise<void>) =>
    test(name, async () => {
      const tmp = tempDir();
      const file = join(tmp.dir, 'sessions.db');
      const store = await SqliteHistoryStore.open(file, { driver });
      const { db: raw } = openDatabase(file, { driver });
      try {
        await fn({ store, file, raw });
      } finally {
        raw.close();
        await store.close();
        tmp.remove();
      }
    });

  describe(`search on ${driver}`, () => {
    run('matches what users expect: prefixes, fragments, phrases, case, accents, CJK, code', async ({ store }) => {
      const t = await store.createThread('w');
      const code = await store.appendItems(t.id, [
        assistant('Try this:\n\n```ts\nconst item = parseItem(row.message_data);\nawait readHistory("src/core/threads/threadStore.ts");\n```\nIt is naïve.'),
      ]);
      const japanese = await store.appendItems(t.id, [user('こんにちは、検索のテストです。猫')]);
      const french = await store.appendItems(t.id, [user('Un CAFÉ très NAIVE')]);
      const find = async (query: string) => ids(await store.search(query));
      assert.deepEqual(await find('pars'), [code]);
      assert.deepEqual(await find('Item('), [code]);
      assert.deepEqual(await find('eadHist'), [code]);
      assert.deepEqual(await find('threads/threadSt'), [code]);
      assert.deepEqual(await find('message_data);'), [code]);
      assert.deepEqual(await find('naive'), [french, code]);
      assert.deepEqual(await find('NAÏVE'), [french, code]);
      assert.deepEqual(await find('café'), [french]);
      assert.deepEqual(await find('cafe tres'), [french]);
      assert.deepEqual(await find('"cafe tres"'), [french]);
      assert.deepEqual(await find('"tres cafe"'), []);
      assert.deepEqual(await find('こんに'), [japanese]);
      assert.deepEqual(await find('検索'), [japanese]);
      assert.deepEqual(await find('猫'), [japanese]);
      assert.deepEqual(await find('Un'), [french]);
      assert.deepEqual(await find('pars naive'), [code]);
      assert.deepEqual(await find('pars 猫'), []);
    });

    run('tool calls (name and arguments) and their outputs are found as tool hits; reasoning as the assistant', async ({ store }) => {
      const t = await store.createThread('w');
      const question = await store.appendItems(t.id, [user('look at the config')]);
      const [callRow, outputRow, reasoningRow] = [
        await store.appendItems(t.id, [call('c1', 'read_file', JSON.stringify({ path: 'C:\\work\\webpack.config.js' }))]),
        await store.appendItems(t.id, [output('c1', 'module.exports = { mode: "production" }')]),
        await store.appendItems(t.id, [{ type: 'reasoning', summary: [{ type: 'summary_text', text: 'The zeppelin mode looks wrong' }] }]),
      ];
      const byQuery = async (query: string) => (await store.search(query)).map((hit) => [hit.rowId, hit.role, hit.turnId]);
      assert.deepEqual(await byQuery('read_file'), [[callRow, 'tool', question]]);
      assert.deepEqual(await byQuery('work\\webpack'), [[callRow, 'tool', question]]);
      assert.deepEqual(await byQuery('"production"'), [[outputRow, 'tool', question]]);
      assert.deepEqual(await byQuery('zeppelin'), [[reasoningRow, 'assistant', question]]);
      assert.deepEqual(await store.findInThread(t.id, 'mode'), [outputRow, reasoningRow]);
    });

    run('odd queries are searched as text', async ({ store }) => {
      const t = await store.createThread('w');
      const quote = await store.appendItems(t.id, [user('say "hi" then a"b')]);
      const star = await store.appendItems(t.id, [user('glob *.ts and -x flags, NEAR(a b) OR AND')]);
      const find = async (query: string) => ids(await store.search(query));
      assert.deepEqual(await find('"'), [quote]);
      assert.deepEqual(await find('a"b'), [quote]);
      assert.deepEqual(await find('"hi"'), [quote]);
      assert.deepEqual(await find('*.ts'), [star]);
      assert.deepEqual(await find('-x'), [star]);
      assert.deepEqual(await find('NEAR('), [star]);
      assert.deepEqual(await find('OR AND'), [star]);
      for (const query of ["''", ' \t\n ', 'x'.repeat(10_000), '🙂'.repeat(3), '\u0000', '"unclosed phrase', ')(', '^', '{a}: b']) {
        assert.ok(Array.isArray(await store.search(query)), query.slice(0, 20));
        assert.ok(Array.isArray(await store.findInThread(t.id, query)), query.slice(0, 20));
      }
    });

    run('hits carry a snippet holding the match, highlights on it, the time and the turn', async ({ store }) => {
      const t = await store.createThread('w', 'Snippets');
      const before = Date.now();
      await store.appendItems(t.id, [assistant('a preamble about lanterns')]);
      const question = await store.appendItems(t.id, [user('where is it?')]);
      const long = `${'filler text '.repeat(40)}the Naïve lantern is lit ${'more filler '.repeat(40)}`;
      const answer = await store.appendItems(t.id, [assistant(long)]);
      const [hit] = await store.search('naive lantern');
      assert.equal(hit!.rowId, answer);
      assert.equal(hit!.turnId, question);
      assert.ok(hit!.snippet.length <= 121 && hit!.snippet.startsWith('…') && hit!.snippet.endsWith('…'), hit!.snippet);
      assert.deepEqual(marked(hit!), ['Naïve', 'lantern']);
      assert.ok(Math.abs(hit!.at - before) < 5000, `${hit!.at} vs ${before}`);
      const [preamble] = await store.search('lanterns');
      assert.equal(preamble!.turnId, preamble!.rowId);
    });

    run('rows the Python SDK writes are found after catch-up; rows it deletes are not', async ({ store, raw }) => {
      const mine = await store.createThread('file:///mine');
      await store.appendItems(mine.id, [user('my own zephyr')]);
      const [question, answer] = pythonAdd(raw, 'python_session', [
        { role: 'user', content: 'Résumé of the zephyr plan?' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'こんにちは zephyr' }] },
      ]);
      const hits = await store.search('zephyr', { workspaceKey: 'file:///mine' });
      assert.deepEqual(hits.map((h) => [h.threadId, h.workspaceKey]), [
        [mine.id, 'file:///mine'],
        ['python_session', ''],
        ['python_session', ''],
      ]);
      assert.deepEqual(ids(await store.search('resume')), [question]);
      assert.deepEqual(ids(await store.search('こんにちは')), [answer]);
      raw.prepare('DELETE FROM agent_messages WHERE id = ?').run(answer!);
      assert.deepEqual(ids(await store.search('こんにちは')), []);
      assert.deepEqual(await store.findInThread('python_session', 'zephyr'), [question]);
    });

    run('pop, the SDK clear and a deleted thread take their rows out of search for good', async ({ store, raw }) => {
      const t = await store.createThread('w');
      const session = store.session(t.id);
      await session.addItems([user('popped quasar')]);
      assert.equal((await store.search('quasar')).length, 1);
      await session.popItem();
      assert.deepEqual(await store.search('quasar'), []);
      await session.addItems([user('cleared quasar')]);
      await session.clearSession();
      assert.deepEqual(await store.search('quasar'), []);
      await session.addItems([user('deleted quasar')]);
      assert.equal((await store.search('quasar')).length, 1);
      await store.deleteThread(t.id);
      assert.deepEqual(await store.search('quasar'), []);
      const count = raw.prepare("SELECT count(*) AS n FROM session_chat_search WHERE session_chat_search MATCH '\"qua\" \"uas\" \"sar\"'").get();
      assert.equal(Number(count?.n), 0, 'no index entry is left behind');
    });

    run('a large backlog is indexed in slices; meanwhile search answers from what is indexed', async ({ store, raw }) => {
      const t = await store.createThread('w');
      await store.appendItems(t.id, [user('indexed nebula')]);
      assert.equal((await store.search('nebula')).length, 1);
      const backlog = Array.from({ length: 2500 }, (_, i) => user(`backlog nebula ${i}`));
      pythonAdd(raw, t.id, backlog);
      assert.deepEqual(await store.searchIndexStatus(), { pending: 2500, indexed: 1 });
      assert.equal((await store.search('nebula')).length, 1, 'too many pending rows for a search to index itself');
      assert.equal(await store.indexPending(1000), 1500);
      assert.equal(await store.indexPending(1000), 500);
      assert.deepEqual(await store.searchIndexStatus(), { pending: 500, indexed: 2001 });
      assert.equal((await store.search('nebula', { limit: 5000 })).length, 2501, 'a few pending rows are indexed by the search itself');
      assert.equal(await store.indexPending(1000), 0);
      assert.equal((await store.findInThread(t.id, 'nebula 2499')).length, 1);
    });

    run('the index lives in our own tables: no trigger, and the SDK tables keep their own indexes', async ({ raw }) => {
      const triggers = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all();
      assert.deepEqual(triggers, []);
      const onSdk = raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('agent_messages', 'agent_sessions') AND sql IS NOT NULL ORDER BY name").all();
      assert.deepEqual(onSdk.map((row) => row.name), ['idx_agent_messages_session_id', 'session_chat_turn_starts']);
    });

    run('a turn index made with another spelling of its condition is made again, so turn queries use it', async ({ store, file, raw }) => {
      const t = await store.createThread('w');
      const answer = await store.appendItems(t.id, [user('turn start'), assistant('indexed answer')]);
      raw.exec('DROP INDEX session_chat_turn_starts');
      raw.exec("CREATE INDEX session_chat_turn_starts ON agent_messages (session_id, id) WHERE json_extract(message_data, '$.role') = 'user'");
      const again = await SqliteHistoryStore.open(file, { driver });
      try {
        const sql = raw.prepare("SELECT sql FROM sqlite_master WHERE name = 'session_chat_turn_starts'").get()?.sql;
        assert.ok(String(sql).endsWith(TURN_START));
        const [hit] = await again.search('indexed answer');
        assert.equal(hit!.turnId, answer - 1);
      } finally {
        await again.close();
      }
    });

    run('search tables of another layout at this schema version are made again and refilled', async ({ store, file, raw }) => {
      const t = await store.createThread('w');
      await store.appendItems(t.id, [user('rebuilt comet')]);
      raw.exec('DROP TABLE session_chat_search; DROP TABLE session_chat_search_keys; CREATE VIRTUAL TABLE session_chat_search USING fts5(body)');
      const again = await SqliteHistoryStore.open(file, { driver });
      try {
        assert.deepEqual(await again.searchIndexStatus(), { pending: 1, indexed: 0 });
        assert.equal((await again.search('comet')).length, 1);
      } finally {
        await again.close();
      }
    });
  });
}
