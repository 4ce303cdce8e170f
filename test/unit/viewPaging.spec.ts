import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newestPage, pageBefore } from '../../src/core/view/paging.ts';
import { turnsToMarkdown } from '../../src/core/view/markdown.ts';
import type { ViewTurn } from '../../src/shared/protocol.ts';

function turns(count: number): ViewTurn[] {
  return Array.from({ length: count }, (_, index) => ({ index, entries: [{ kind: 'user', text: `q${index}` }] }));
}

const indexes = (page: { turns: ViewTurn[] }) => page.turns.map((turn) => turn.index);

describe('paging', () => {
  test('the newest page holds the last turns, oldest first', () => {
    const page = newestPage(turns(75), 30);
    assert.deepEqual(indexes(page), Array.from({ length: 30 }, (_, i) => 45 + i));
    assert.equal(page.hasOlder, true);
  });

  test('a short thread fits in one page with nothing older', () => {
    const page = newestPage(turns(3), 30);
    assert.deepEqual(indexes(page), [0, 1, 2]);
    assert.equal(page.hasOlder, false);
    assert.deepEqual(newestPage([], 30), { turns: [], hasOlder: false });
  });

  test('pages backwards until the oldest turn', () => {
    const all = turns(75);
    const second = pageBefore(all, 45, 30);
    assert.deepEqual(indexes(second), Array.from({ length: 30 }, (_, i) => 15 + i));
    assert.equal(second.hasOlder, true);
    const third = pageBefore(all, 15, 30);
    assert.deepEqual(indexes(third), Array.from({ length: 15 }, (_, i) => i));
    assert.equal(third.hasOlder, false);
  });

  test('clamps indexes from outside the thread', () => {
    const all = turns(5);
    assert.deepEqual(indexes(pageBefore(all, 999, 2)), [3, 4]);
    assert.deepEqual(pageBefore(all, -3, 2), { turns: [], hasOlder: false });
  });
});

describe('turnsToMarkdown', () => {
  test('writes the title, questions, answers and tool calls', () => {
    const markdown = turnsToMarkdown('Trip', [
      {
        index: 0,
        entries: [
          { kind: 'user', text: 'Weather?' },
          { kind: 'tool', name: 'getWeather', args: '{}', output: 'has ``` fence' },
          { kind: 'assistant', text: 'Rainy', partial: true },
        ],
      },
    ]);
    assert.match(markdown, /^# Trip\n/);
    assert.match(markdown, /## You\n\nWeather\?/);
    assert.match(markdown, /## Assistant \(stopped\)\n\nRainy/);
    assert.match(markdown, /````\nhas ``` fence\n````/);
  });
});
