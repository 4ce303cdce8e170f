import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Item, Session } from '../../../src/core/session/session.ts';

/** Two sessions on one backing store, plus raw SQL on it when the store is SQLite. */
export interface ContractFixture {
  sessions: [Session, Session];
  /** Runs one statement on the backing file through a separate connection (SQLite stores only). */
  raw?: (sql: string, ...params: (string | number)[]) => void;
  close(): void;
}

/** One implementation under test: opens sessions 'alpha' and 'beta' on a fresh store. */
export interface ContractTarget {
  name: string;
  /** True when `open()` gives `raw`: the corrupt-row case runs only then. */
  sqlite: boolean;
  open(): ContractFixture | Promise<ContractFixture>;
}

function msg(role: 'user' | 'assistant', content: string): Item {
  return { type: 'message', role, content };
}

function numbered(count: number): Item[] {
  return Array.from({ length: count }, (_, i) => msg(i % 2 === 0 ? 'user' : 'assistant', `m${i}`));
}

async function withFixture(target: ContractTarget, fn: (f: ContractFixture) => Promise<void>): Promise<void> {
  const fixture = await target.open();
  try {
    await fn(fixture);
  } finally {
    fixture.close();
  }
}

/** The SDK's session cases, run against one implementation. */
export function sessionContract(target: ContractTarget): void {
  const run = (name: string, fn: (f: ContractFixture) => Promise<void>) => test(name, () => withFixture(target, fn));

  describe(`Session contract: ${target.name}`, () => {
    run('reports its id and starts empty', async ({ sessions: [a] }) => {
      assert.equal(await a.getSessionId(), 'alpha');
      assert.deepEqual(await a.getItems(), []);
      assert.equal(await a.popItem(), undefined);
    });

    run('pops newest first, then undefined when empty', async ({ sessions: [a] }) => {
      await a.addItems([msg('user', 'one'), msg('assistant', 'two')]);
      await a.addItems([msg('user', 'three')]);
      assert.deepEqual(await a.popItem(), msg('user', 'three'));
      assert.deepEqual(await a.popItem(), msg('assistant', 'two'));
      assert.deepEqual(await a.getItems(), [msg('user', 'one')]);
      assert.deepEqual(await a.popItem(), msg('user', 'one'));
      assert.equal(await a.popItem(), undefined);
    });

    run('limits return the latest items oldest first; 0 and negative give []', async ({ sessions: [a] }) => {
      const items = numbered(10);
      await a.addItems(items);
      assert.deepEqual(await a.getItems(2), items.slice(8));
      assert.deepEqual(await a.getItems(4), items.slice(6));
      assert.deepEqual(await a.getItems(10), items);
      assert.deepEqual(await a.getItems(25), items);
      assert.deepEqual(await a.getItems(), items);
      assert.deepEqual(await a.getItems(0), []);
      assert.deepEqual(await a.getItems(-3), []);
    });

    run('adding an empty list changes nothing', async ({ sessions: [a] }) => {
      await a.addItems([msg('user', 'kept')]);
      await a.addItems([]);
      assert.deepEqual(await a.getItems(), [msg('user', 'kept')]);
    });

    run('two sessions on one store are isolated for get, pop and clear', async ({ sessions: [a, b] }) => {
      await a.addItems([msg('user', 'a1'), msg('assistant', 'a2')]);
      await b.addItems([msg('user', 'b1')]);
      assert.deepEqual(await a.getItems(), [msg('user', 'a1'), msg('assistant', 'a2')]);
      assert.deepEqual(await b.getItems(), [msg('user', 'b1')]);
      assert.deepEqual(await b.popItem(), msg('user', 'b1'));
      assert.equal(await b.popItem(), undefined);
      assert.equal((await a.getItems()).length, 2);
      await b.addItems([msg('user', 'b2')]);
      await a.clearSession();
      assert.deepEqual(await a.getItems(), []);
      assert.deepEqual(await b.getItems(), [msg('user', 'b2')]);
    });

    run('clear then add starts a fresh history', async ({ sessions: [a] }) => {
      await a.addItems(numbered(3));
      await a.clearSession();
      await a.addItems([msg('user', 'again')]);
      assert.deepEqual(await a.getItems(), [msg('user', 'again')]);
    });

    run('unicode round-trips', async ({ sessions: [a] }) => {
      const items = [msg('user', 'こんにちは'), msg('assistant', '😊👍'), msg('user', 'Привет, мир')];
      await a.addItems(items);
      assert.deepEqual(await a.getItems(), items);
    });

    run('SQL-looking text is stored verbatim', async ({ sessions: [a, b] }) => {
      const evil = msg('user', "Robert'); DROP TABLE students;--");
      const quotes = msg('assistant', `"double" 'single' \\ back; DELETE FROM agent_messages; --`);
      await a.addItems([evil, quotes]);
      await b.addItems([msg('user', 'still here')]);
      assert.deepEqual(await a.getItems(), [evil, quotes]);
      assert.deepEqual(await b.getItems(), [msg('user', 'still here')]);
    });

    run('identical timestamps keep insertion order', async ({ sessions: [a], raw }) => {
      const items = numbered(20);
      for (const item of items) await a.addItems([item]);
      // Give later rows earlier timestamps: ordering by time instead of id would reverse them.
      raw?.("UPDATE agent_messages SET created_at = datetime('2020-01-01', '-' || id || ' seconds')");
      assert.deepEqual(await a.getItems(), items);
      assert.deepEqual(await a.getItems(3), items.slice(17));
      assert.deepEqual(await a.popItem(), items[19]);
    });

    run('mutating returned or added items changes nothing stored', async ({ sessions: [a] }) => {
      type Part = { type: string; text: string };
      const original = (): Item => ({ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'original' }] });
      // The caller's own object, changed after the session took it: top level and nested.
      const added = original();
      await a.addItems([added]);
      added.role = 'assistant';
      (added.content as Part[])[0]!.text = 'changed after add';
      // The objects the session handed back, changed in place: the array, an item, and the parts inside it.
      const all = await a.getItems();
      all[0]!.role = 'assistant';
      (all[0]!.content as Part[])[0]!.text = 'changed after get';
      all.push(msg('user', 'extra'));
      const latest = (await a.getItems(1))[0]!;
      latest.type = 'changed after get(1)';
      (latest.content as Part[]).push({ type: 'input_text', text: 'appended after get(1)' });
      assert.deepEqual(await a.getItems(), [original()]);
      assert.deepEqual(await a.getItems(1), [original()]);
      // What pop hands back is the caller's too: changing it must not change what is stored next.
      await a.addItems([msg('assistant', 'to pop')]);
      const popped = (await a.popItem())!;
      popped.content = 'changed after pop';
      assert.deepEqual(await a.getItems(), [original()]);
    });

    // Only SQLite stores can hold a row that is not JSON; the memory store never has one.
    if (!target.sqlite) return;

    run('a corrupt newest row is skipped by get and pop, never thrown', async ({ sessions: [a], raw }) => {
      await a.addItems([msg('user', 'q'), msg('assistant', 'good')]);
      raw!('INSERT INTO agent_messages (session_id, message_data) VALUES (?, ?)', 'alpha', '{"role": "assistant", "content": "trunc');
      assert.deepEqual(await a.getItems(), [msg('user', 'q'), msg('assistant', 'good')]);
      assert.deepEqual(await a.getItems(1), [msg('assistant', 'good')]);
      assert.deepEqual(await a.popItem(), msg('assistant', 'good'));
      assert.deepEqual(await a.popItem(), msg('user', 'q'));
      assert.equal(await a.popItem(), undefined);
      await a.addItems([msg('user', 'after')]);
      assert.deepEqual(await a.getItems(), [msg('user', 'after')]);
    });
  });
}
