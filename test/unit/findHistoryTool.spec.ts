// What Search History's rows and the history tool say about a hit: the host's pure parts, run here
// with a hand-written store that records the searches it is asked for.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryStore, SearchHit, SearchOptions } from '../../src/core/store/historyStore.ts';
import { hitItem } from '../../src/host/commands/hitItem.ts';
import { hitsText, runHistoryTool } from '../../src/host/surfaces/historyToolText.ts';

const at = Date.UTC(2026, 10, 27, 9, 30);

function hit(overrides: Partial<SearchHit> = {}): SearchHit {
  return {
    threadId: 't1',
    threadTitle: 'Parser rewrite',
    workspaceKey: 'file:///home/ada/projects/compiler',
    pinned: false,
    rowId: 42,
    turnId: 40,
    role: 'assistant',
    snippet: '…call parseItem( with the token…',
    highlights: [[6, 16]],
    at,
    ...overrides,
  };
}

/** Answers every search with `hits` and remembers what it was asked. */
function storeWith(hits: SearchHit[]): { store: HistoryStore; asked: Array<[string, SearchOptions | undefined]> } {
  const asked: Array<[string, SearchOptions | undefined]> = [];
  const store = {
    search: async (query: string, options?: SearchOptions) => {
      asked.push([query, options]);
      return hits.slice(0, options?.limit ?? 50);
    },
  } as unknown as HistoryStore;
  return { store, asked };
}

describe('Search History rows', () => {
  test('a row shows the thread (with a pin when pinned), its workspace and when, and the snippet; the pick never hides it', () => {
    const row = hitItem(hit({ pinned: true, role: 'user' }), at + 5 * 60_000);
    assert.equal(row.label, '$(pinned) Parser rewrite');
    assert.equal(row.description, 'compiler · 5 min ago');
    assert.equal(row.detail, 'You: …call parseItem( with the token…');
    assert.equal(row.alwaysShow, true);
    assert.equal(hitItem(hit()).label, 'Parser rewrite');
  });
});

describe('the history tool', () => {
  test('lists each match with thread title, workspace, UTC date, kind and snippet', () => {
    const text = hitsText('parseItem', [hit(), hit({ threadTitle: 'Old notes', pinned: true, role: 'tool', workspaceKey: '' })]);
    assert.match(text, /^2 Session Chat messages match "parseItem"/);
    assert.match(text, /1\. Thread "Parser rewrite", workspace compiler, 2026-11-27 09:30 UTC, assistant answer:\n {3}…call parseItem\( with the token…/);
    assert.match(text, /2\. Thread "Old notes" \(pinned\), workspace No workspace, .*tool call or output:/);
    assert.equal(hitsText('zzz', []), 'No Session Chat messages match "zzz".');
  });

  test('reads only what a model may pass: a query, and a limit kept between 1 and 50', async () => {
    const { store, asked } = storeWith([hit()]);
    assert.match(await runHistoryTool(store, 'ws', { query: 'parseItem', limit: 500 }), /Parser rewrite/);
    await runHistoryTool(store, 'ws', { query: '  parse  ', limit: 0 });
    await runHistoryTool(store, 'ws', { query: 'x' });
    assert.deepEqual(asked, [
      ['parseItem', { workspaceKey: 'ws', limit: 50 }],
      ['parse', { workspaceKey: 'ws', limit: 1 }],
      ['x', { workspaceKey: 'ws', limit: 20 }],
    ]);
    assert.match(await runHistoryTool(store, 'ws', { limit: 3 }), /Give a "query"/);
    assert.match(await runHistoryTool(store, 'ws', { query: '   ' }), /Give some words/);
    assert.match(await runHistoryTool(store, 'ws', 'parseItem'), /Give a "query"/);
    assert.equal(asked.length, 3, 'nothing searched for input that is not a query');
  });
});
