import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseWorkspace, countResult, newTally, summarize } from '../../src/core/transfer/importTally.ts';
import type { ThreadInfo } from '../../src/core/store/historyStore.ts';

const thread = (id: string, workspaceKey = 'file:///here'): ThreadInfo => ({ id, workspaceKey, title: id, createdAt: 1, updatedAt: 1, pinned: false });
const name = (key: string) => (key === 'file:///here' ? 'this workspace' : `workspace "${key.split('/').pop()}"`);

test('the summary counts threads and items, says where they went and names skipped files with reasons', () => {
  const tally = newTally();
  countResult(tally, { status: 'created', thread: thread('a'), added: 3_000 });
  countResult(tally, { status: 'extended', thread: thread('b'), added: 410 });
  countResult(tally, { status: 'unchanged', thread: thread('c'), added: 0 });
  tally.skipped.push({ source: '/x/a.json', reason: 'not valid JSON at line 3' }, { source: 'C:\\y\\b.txt', reason: 'not a format Session Chat can import' });
  assert.equal(
    summarize(tally, name),
    'Imported 2 threads, 3,410 items into this workspace; 1 thread was already here; skipped 2 files: a.json (not valid JSON at line 3), b.txt (not a format Session Chat can import).',
  );
  assert.equal(tally.first?.id, 'a', 'the first thread made is the one to open');
});

test('nothing new, a cancelled import, more skips than fit, and threads in two workspaces', () => {
  const none = newTally();
  countResult(none, { status: 'unchanged', thread: thread('a'), added: 0 });
  assert.equal(summarize(none, name), 'Imported nothing new; 1 thread was already here.');

  const cancelled = newTally();
  countResult(cancelled, { status: 'created', thread: thread('a'), added: 1 });
  countResult(cancelled, { status: 'copied', thread: thread('b', 'file:///other'), added: 2 });
  cancelled.cancelled = true;
  for (let i = 0; i < 5; i++) cancelled.skipped.push({ source: `/f${i}.json`, reason: 'unknown format' });
  assert.equal(
    summarize(cancelled, name),
    'Import cancelled; kept what finished before it. Imported 2 threads, 3 items into this workspace and workspace "other"; skipped 5 files: f0.json (unknown format), f1.json (unknown format), f2.json (unknown format), and 2 more (see the Session Chat log).',
  );
});

test('an import that found nothing says so instead of "nothing new"', () => {
  assert.equal(summarize(newTally(), name), 'Found nothing to import: no file there holds a conversation Session Chat can read.');
  const cancelled = newTally();
  cancelled.cancelled = true;
  assert.equal(summarize(cancelled, name), 'Import cancelled before any thread was read.');
});

test('a thread goes to the workspace its file names only when that workspace is known here', () => {
  const known = new Set(['file:///laptop/project', 'file:///here']);
  assert.equal(chooseWorkspace('file:///laptop/project', 'file:///here', known), 'file:///laptop/project');
  assert.equal(chooseWorkspace('file:///elsewhere', 'file:///here', known), 'file:///here');
  assert.equal(chooseWorkspace('', 'file:///here', known), 'file:///here');
});

test('a thread title becomes a file name that every system accepts', async () => {
  const { safeFileName } = await import('../../src/core/transfer/fileName.ts');
  assert.equal(safeFileName('Fix: a/b\\c <d> "e" | f? *g*\n\tnext.'), 'Fix a b c d e f g next');
  assert.equal(safeFileName('...'), 'thread');
  assert.equal(safeFileName('x'.repeat(200)).length, 80);
});
