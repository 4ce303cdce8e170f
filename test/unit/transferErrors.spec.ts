import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, describe, test } from 'node:test';
import { writeExportFile } from '../../src/core/transfer/exportFile.ts';
import { readImportSources } from '../../src/core/transfer/importSources.ts';
import type { ThreadRecord } from '../../src/core/transfer/threadRecord.ts';
import { IMPORT_FIXTURES, collectImport, skipsOf, threadsOf } from './helpers/importEvents.ts';
import { tempDir } from './helpers/tempDir.ts';

const temp = tempDir('session-chat-import-errors-');
after(() => temp.remove());
let fileNumber = 0;
const nextPath = (name: string): string => join(temp.dir, `${++fileNumber}-${name}`);
const write = (name: string, text: string): string => {
  const path = nextPath(name);
  writeFileSync(path, text);
  return path;
};

const thread = (id: string, text = 'hello'): ThreadRecord => ({
  id,
  title: `Thread ${id}`,
  workspaceKey: '',
  createdAt: 1_000,
  updatedAt: 2_000,
  pinned: false,
  items: [JSON.stringify({ type: 'message', role: 'user', content: text }), JSON.stringify({ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: `re: ${text}` }] })],
});

async function exportOf(records: Iterable<ThreadRecord>): Promise<string> {
  const path = nextPath('export.json');
  async function* all(): AsyncGenerator<ThreadRecord> {
    yield* records;
  }
  await writeExportFile(path, all(), { scope: 'all', exportedAt: 0 });
  return path;
}

const continueSession = readFileSync(join(IMPORT_FIXTURES, 'continue', 'sessions', '3f2504e0-4f89-11d3-9a0c-0305e82c3301.json'), 'utf8');

describe('import: files that cannot be imported are reported, the rest of the batch goes on', () => {
  test('malformed JSON, an unknown JSON shape, a text file and a missing path each give one reason naming the file', async () => {
    const broken = write('broken.json', '{"sessionId": "x", "history": [');
    const unknown = write('settings.json', '{"editor.fontSize": 14}');
    const text = write('notes.txt', 'just some notes');
    const missing = join(temp.dir, 'does-not-exist.json');
    const good = write('continue.json', continueSession);
    const events = await collectImport([broken, unknown, text, missing, good]);
    assert.deepEqual(threadsOf(events).map((record) => record.id), ['continue-3f2504e0-4f89-11d3-9a0c-0305e82c3301']);
    const skips = skipsOf(events);
    assert.deepEqual(skips.map((skip) => skip.source), [broken, unknown, text, missing]);
    assert.match(skips[0]!.reason, /^It is not valid JSON: .+\.$/);
    assert.equal(skips[1]!.reason, 'It is JSON in no format Session Chat imports.');
    assert.equal(skips[2]!.reason, 'It is in no format Session Chat imports (not JSON, JSON Lines or SQLite).');
    assert.equal(skips[3]!.reason, 'It does not exist or cannot be read.');
  });

  test('a metadata file chosen on its own says which file to choose instead', async () => {
    const ui = join(IMPORT_FIXTURES, 'cline', 'saoudrizwan.claude-dev', 'tasks', '1764144000000', 'ui_messages.json');
    assert.deepEqual(skipsOf(await collectImport([ui])), [{ source: ui, reason: 'It is metadata kept beside a conversation (a list, task metadata or UI messages): choose the conversation file or its folder instead.' }]);
  });

  test('an export of a newer format version is refused with a reason to update; a missing version is refused too', async () => {
    const newer = write('newer.json', '{"format":"session-chat-export","version":2,"threads":[{"id":"a"}]}');
    const noVersion = write('noversion.json', '{"format":"session-chat-export","threads":[]}');
    const skips = skipsOf(await collectImport([newer, noVersion]));
    assert.deepEqual(skips, [
      { source: newer, reason: 'It is export format version 2, newer than this Session Chat reads (1): update the extension.' },
      { source: noVersion, reason: 'Its "version" is missing or not a whole number.' },
    ]);
  });

  test('a file larger than the limit is refused for formats read whole, with sizes in the reason', async () => {
    const path = write('continue.json', continueSession);
    const skips = skipsOf(await collectImport([path], { maxFileBytes: 1024 }));
    assert.equal(skips.length, 1);
    assert.match(skips[0]!.reason, /^It is larger than 1 KB \(\d+(\.\d)? KB\), the most read of a file in this format\.$/);
  });

  test('our export streams past the limit; only a single thread larger than it is skipped', async () => {
    const path = await exportOf([thread('small-1'), thread('huge', 'x'.repeat(5_000)), thread('small-2')]);
    const events = await collectImport([path], { maxFileBytes: 2_000 });
    assert.deepEqual(threadsOf(events).map((record) => record.id), ['small-1', 'small-2']);
    assert.deepEqual(skipsOf(events), [{ source: `${path}#1`, reason: 'Thread 2 is larger than 2 KB, the most one thread may hold.' }]);
  });

  test('a truncated export gives every thread before the break, then says where it broke', async () => {
    const whole = readFileSync(await exportOf([thread('t1'), thread('t2'), thread('t3')]), 'utf8');
    const cut = write('cut.json', whole.slice(0, whole.indexOf('"id":"t3"') + 12));
    const events = await collectImport([cut]);
    assert.deepEqual(threadsOf(events).map((record) => record.id), ['t1', 't2']);
    assert.deepEqual(skipsOf(events), [{ source: cut, reason: 'It ends in the middle after thread 2: the file is incomplete (an export that did not finish, or a partial copy).' }]);
    // Broken further down (not merely cut short): the tokenizer reads 64 KB blocks and fails on
    // the block with the error, so the threads of the blocks before it still come through.
    const longer = readFileSync(await exportOf(Array.from({ length: 60 }, (_, i) => thread(`g${i}`, `${i} ${'filler '.repeat(400)}`))), 'utf8');
    const garbled = write('garbled.json', `${longer.slice(0, longer.indexOf('"id":"g55"'))}"id":"g55",!!!`);
    const garbledEvents = await collectImport([garbled]);
    const got = threadsOf(garbledEvents).map((record) => record.id);
    assert.ok(got.length >= 20 && got.length < 55, `threads before the broken block come through (${got.length})`);
    assert.deepEqual(got, Array.from({ length: got.length }, (_, i) => `g${i}`));
    assert.deepEqual(skipsOf(garbledEvents).map((skip) => skip.source), [garbled]);
    assert.match(skipsOf(garbledEvents)[0]!.reason, new RegExp(`^It is not valid JSON after thread ${got.length}: .+\\.$`));
  });

  test('a thread that breaks the format is skipped by itself; unknown item types are kept as they are', async () => {
    const future = JSON.stringify({ type: 'computer_call_2027', whatever: { nested: [1, 2] } });
    const path = write(
      'mixed.json',
      JSON.stringify({
        format: 'session-chat-export',
        version: 1,
        exportedAt: '2026-11-28T10:00:00.000Z',
        scope: 'all',
        threads: [
          { title: 'no id', workspace: '', createdAt: '2026-11-28T10:00:00.000Z', updatedAt: '2026-11-28T10:00:00.000Z', pinned: false, items: [] },
          { id: 'bad-time', title: '', workspace: '', createdAt: 'yesterday', updatedAt: '2026-11-28T10:00:00.000Z', pinned: false, items: [] },
          { id: 'future', title: 'Future items', workspace: '', createdAt: '2026-11-28T10:00:00.000Z', updatedAt: '2026-11-28T10:00:01.000Z', pinned: false, items: [JSON.parse(future)] },
        ],
      }),
    );
    const events = await collectImport([path]);
    assert.deepEqual(threadsOf(events), [{ id: 'future', title: 'Future items', workspaceKey: '', createdAt: Date.UTC(2026, 10, 28, 10), updatedAt: Date.UTC(2026, 10, 28, 10, 0, 1), pinned: false, items: [future] }]);
    assert.deepEqual(skipsOf(events), [
      { source: `${path}#0`, reason: 'Thread 1 has no "id".' },
      { source: `${path}#bad-time`, reason: 'Thread "bad-time" has no valid "createdAt" (an ISO 8601 time).' },
    ]);
  });

  test('a VS Code session log with a broken line or a path into Object.prototype is refused, naming the problem', async () => {
    const initial = JSON.stringify({ kind: 0, v: { sessionId: 's', creationDate: 1, requests: [] } });
    const broken = write('broken.jsonl', `${initial}\n{"kind":1,"k":["customTitle"],\n`);
    const polluting = write('polluting.jsonl', `${initial}\n${JSON.stringify({ kind: 1, k: ['__proto__', 'polluted'], v: true })}\n`);
    const skips = skipsOf(await collectImport([broken, polluting]));
    assert.deepEqual(skips, [
      { source: broken, reason: 'It is not a readable VS Code chat session log: line 2 is not valid JSON.' },
      { source: polluting, reason: 'It is not a readable VS Code chat session log: the path ["__proto__","polluted"] is not allowed.' },
    ]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});

describe('import: large files and cancellation', () => {
  test('an export with 10,000 threads imports every thread while the heap holds about one thread at a time', async () => {
    const padding = 'lorem ipsum dolor sit amet '.repeat(20);
    const count = 10_000;
    function* many(): Generator<ThreadRecord> {
      for (let i = 0; i < count; i++) yield thread(`t${i}`, `${i} ${padding}`);
    }
    const path = await exportOf(many());
    const fileBytes = readFileSync(path).length;
    // Retained memory, not garbage the collector has not reached yet: collect before each sample.
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = 0;
    let threads = 0;
    let lastId = '';
    for await (const event of readImportSources([path])) {
      assert.equal(event.kind, 'thread');
      if (event.kind === 'thread') lastId = event.record.id;
      if (++threads % 1_000 === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed - baseline);
      }
    }
    assert.equal(threads, count);
    assert.equal(lastId, `t${count - 1}`);
    // Read whole, the file's text alone would stay in the heap the whole time.
    assert.ok(fileBytes > 10 * 1024 * 1024, `the file is large (${fileBytes} bytes)`);
    assert.ok(peak < 5 * 1024 * 1024, `retained heap growth ${(peak / 1e6).toFixed(1)} MB stays far under the file's ${Math.round(fileBytes / 1e6)} MB`);
  });

  test('cancelling stops between threads: no thread after the signal, no further file opened', async () => {
    const first = await exportOf([thread('a1'), thread('a2'), thread('a3')]);
    const second = await exportOf([thread('b1')]);
    const controller = new AbortController();
    const seen: string[] = [];
    for await (const event of readImportSources([first, second], { signal: controller.signal })) {
      if (event.kind === 'thread') seen.push(event.record.id);
      controller.abort();
    }
    assert.deepEqual(seen, ['a1']);
  });
});

describe('import: folder walks', () => {
  test('node_modules, .git and symbolic links are not walked; unknown JSON files are counted once per folder', async () => {
    const root = nextPath('tree');
    for (const folder of ['node_modules/pkg', '.git', 'sessions', 'other']) mkdirSync(join(root, folder), { recursive: true });
    const session = join(IMPORT_FIXTURES, 'continue', 'sessions', '3f2504e0-4f89-11d3-9a0c-0305e82c3301.json');
    copyFileSync(session, join(root, 'sessions', 'a.json'));
    writeFileSync(join(root, 'node_modules', 'pkg', 'session.json'), continueSession.replace('3f2504e0', 'nodemods'));
    writeFileSync(join(root, '.git', 'session.json'), continueSession.replace('3f2504e0', 'gitdir00'));
    writeFileSync(join(root, 'other', 'package.json'), '{"name": "x"}');
    writeFileSync(join(root, 'other', 'tsconfig.json'), '{"compilerOptions": {}}');
    writeFileSync(join(root, 'other', 'readme.md'), '# not counted');
    writeFileSync(join(root, 'other', 'dev_data.jsonl'), '{"event":"a"}\n{"event":"b"}\n');
    symlinkSync(join(IMPORT_FIXTURES, 'cline'), join(root, 'linked'));
    const events = await collectImport([root]);
    assert.deepEqual(threadsOf(events).map((record) => record.id), ['continue-3f2504e0-4f89-11d3-9a0c-0305e82c3301']);
    assert.deepEqual(skipsOf(events), [{ source: root, reason: '3 JSON or SQLite files in it hold no conversation Session Chat can import.' }]);
  });
});
