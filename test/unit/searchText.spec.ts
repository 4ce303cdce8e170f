import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { foldText, foldWithMap } from '../../src/core/search/fold.ts';
import { searchable, searchableText } from '../../src/core/search/searchableText.ts';
import { phrase, splitTerms, trigramsOf } from '../../src/core/search/searchQuery.ts';
import { SNIPPET_LENGTH, snippetOf } from '../../src/core/search/snippet.ts';

/** The text each highlight covers. */
const highlighted = ({ snippet, highlights }: { snippet: string; highlights: Array<[number, number]> }) => highlights.map(([a, b]) => snippet.slice(a, b));

describe('search text: folding', () => {
  test('case, accents and whitespace fold; kana voicing, Hangul and CJK stay', () => {
    assert.equal(foldText('Naïve  CAFÉ\n\tcrème'), 'naive cafe creme');
    assert.equal(foldText('ÅNGSTRÖM İstanbul'), 'angstrom istanbul');
    assert.equal(foldText('e\u0301te\u0301'), 'ete');
    assert.equal(foldText('がぱ 한국어 検索'), 'がぱ 한국어 検索');
    assert.equal(foldText('a\u3000b\u00a0c'), 'a b c');
  });

  test('the fast fold equals the mapped fold on any text', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let round = 0; round < 3000; round++) {
      let text = '';
      for (let i = 0; i < 10; i++) {
        const r = next();
        const cp = r < 0.3 ? 32 + Math.floor(next() * 95) : r < 0.55 ? 0xa0 + Math.floor(next() * 0x2000) : r < 0.75 ? 0x300 + Math.floor(next() * 0x70) : Math.floor(next() * 0x2ffff);
        text += String.fromCodePoint(cp >= 0xd800 && cp <= 0xdfff ? 0x41 : cp);
      }
      assert.equal(foldText(text), foldWithMap(text).folded, JSON.stringify(text));
    }
  });

  test('the map points every folded character back at what produced it', () => {
    const text = 'Naï\u0308ve  Σ😀x';
    const { folded, starts, ends } = foldWithMap(text);
    assert.equal(folded, 'naive σ😀x');
    assert.equal(text.slice(starts[2]!, ends[2]!), 'ï\u0308');
    assert.equal(text.slice(starts[5]!, ends[5]!), '  ');
    assert.equal(text.slice(starts[7]!, ends[8]!), '😀');
  });
});

describe('search text: what is searched', () => {
  test('messages, tool calls with arguments, tool outputs and reasoning summaries, with their roles', () => {
    assert.deepEqual(searchable({ type: 'message', role: 'user', content: 'hello' }), { text: 'hello', role: 'user' });
    assert.deepEqual(searchable({ role: 'assistant', content: [{ type: 'output_text', text: 'hi' }, { type: 'refusal', refusal: 'no' }] }), { text: 'hi\nno', role: 'assistant' });
    assert.deepEqual(searchable({ type: 'function_call', call_id: 'c', name: 'read_file', arguments: '{"path":"C:\\\\src\\\\a.ts","n":2}' }), {
      text: 'read_file\npath: C:\\src\\a.ts\nn: 2',
      role: 'tool',
    });
    assert.deepEqual(searchable({ type: 'function_call', name: 'run', arguments: 'not json' }), { text: 'run\nnot json', role: 'tool' });
    assert.deepEqual(searchable({ type: 'function_call_output', call_id: 'c', output: 'file body' }), { text: 'file body', role: 'tool' });
    assert.deepEqual(searchable({ type: 'function_call_result', callId: 'c', output: { type: 'text', text: 'sdk shape' } }), { text: 'sdk shape', role: 'tool' });
    assert.deepEqual(searchable({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'thinking' }] }), { text: 'thinking', role: 'assistant' });
    assert.equal(searchable({ type: 'message', role: 'system', content: 'be brief' }), undefined);
    assert.equal(searchableText({ type: 'web_search_call' }), '');
  });
});

describe('search text: queries', () => {
  test('split on whitespace; a double-quoted phrase is one term; other quotes are text', () => {
    assert.deepEqual(splitTerms('  Parse   "Exact  Phrase"  item '), ['parse', 'exact phrase', 'item']);
    assert.deepEqual(splitTerms('"'), ['"']);
    assert.deepEqual(splitTerms('a"b "c'), ['a"b', '"c']);
    assert.deepEqual(splitTerms('""  ""'), []);
    assert.deepEqual(splitTerms('NEAR( AND -x *'), ['near(', 'and', '-x', '*']);
    assert.deepEqual(splitTerms('word WORD Wörd'), ['word']);
  });

  test('trigrams: all of a short term, a spread of a long one; phrases escape quotes', () => {
    assert.deepEqual(trigramsOf('item('), ['ite', 'tem', 'em(']);
    assert.deepEqual(trigramsOf('ab'), []);
    const long = trigramsOf('x'.repeat(5000) + 'abcdefghijklmnop');
    assert.ok(long.length <= 8 && long.includes('nop'));
    assert.equal(phrase('a"b'), '"a""b"');
  });
});

describe('search text: snippets', () => {
  test('a short text is the snippet, on one line, with every occurrence highlighted', () => {
    const result = snippetOf('Use parseItem\n\nthen PARSEITEM again', ['parseitem']);
    assert.equal(result.snippet, 'Use parseItem then PARSEITEM again');
    assert.deepEqual(highlighted(result), ['parseItem', 'PARSEITEM']);
  });

  test('a long text is cut around the first match, with an ellipsis on each cut side', () => {
    const text = `${'lorem ipsum dolor '.repeat(20)}the needle is here ${'sit amet consectetur '.repeat(20)}`;
    const result = snippetOf(text, ['needle']);
    assert.ok(result.snippet.length <= SNIPPET_LENGTH, `${result.snippet.length}`);
    assert.ok(result.snippet.startsWith('…') && result.snippet.endsWith('…'));
    assert.deepEqual(highlighted(result), ['needle']);
  });

  test('highlights map accents, phrases and several terms back to the original text', () => {
    const result = snippetOf('Un café très naïve, CAFÉ NAÏVE', ['cafe', 'naive', 'tres naive']);
    assert.deepEqual(highlighted(result), ['café', 'très naïve', 'CAFÉ', 'NAÏVE']);
    assert.deepEqual(highlighted(snippetOf('こんにちは世界', ['こんに'])), ['こんに']);
  });

  test('a match near the end of a long text stays inside the snippet', () => {
    const result = snippetOf(`${'word '.repeat(100)}final target`, ['target']);
    assert.ok(result.snippet.endsWith('final target'));
    assert.ok(result.snippet.length <= SNIPPET_LENGTH);
    assert.deepEqual(highlighted(result), ['target']);
  });
});
