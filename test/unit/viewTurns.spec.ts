import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { itemsToTurns } from '../../src/core/view/itemsToTurns.ts';

const user = (text: string) => ({ role: 'user', content: text });
const assistant = (text: string, status?: string) => ({
  type: 'message',
  role: 'assistant',
  status,
  content: [{ type: 'output_text', text }],
});

describe('itemsToTurns', () => {
  test('starts a new turn at each user message', () => {
    const turns = itemsToTurns([user('hi'), assistant('hello'), user('again'), assistant('yes')]);
    assert.deepEqual(turns, [
      { id: 0, entries: [{ kind: 'user', text: 'hi' }, { kind: 'assistant', text: 'hello' }] },
      { id: 2, entries: [{ kind: 'user', text: 'again' }, { kind: 'assistant', text: 'yes' }] },
    ]);
  });

  test('items before the first user message form turn 0', () => {
    const turns = itemsToTurns([{ role: 'system', content: 'be brief' }, user('q')]);
    assert.equal(turns.length, 2);
    assert.deepEqual(turns[0]?.entries, [{ kind: 'note', text: 'system message: be brief' }]);
    assert.deepEqual(turns[1]?.entries, [{ kind: 'user', text: 'q' }]);
  });

  test('joins text content parts and marks incomplete answers partial', () => {
    const turns = itemsToTurns([
      { role: 'user', content: [{ type: 'input_text', text: 'a' }, { type: 'input_text', text: 'b' }] },
      assistant('half an ans', 'incomplete'),
    ]);
    assert.deepEqual(turns[0]?.entries, [
      { kind: 'user', text: 'a\nb' },
      { kind: 'assistant', text: 'half an ans', partial: true },
    ]);
  });

  test('merges a function call and its output by call_id, args pretty-printed', () => {
    const turns = itemsToTurns([
      user('weather?'),
      { type: 'function_call', call_id: 'c1', name: 'getWeather', arguments: '{"city":"Oslo"}' },
      { type: 'function_call', call_id: 'c2', name: 'getTime', arguments: 'not json' },
      { type: 'function_call_output', call_id: 'c1', output: 'rain' },
      { type: 'function_call_result', callId: 'c2', name: 'getTime', output: { type: 'text', text: 'noon' } },
      assistant('Rain at noon'),
    ]);
    assert.deepEqual(turns[0]?.entries, [
      { kind: 'user', text: 'weather?' },
      { kind: 'tool', name: 'getWeather', args: '{\n  "city": "Oslo"\n}', output: 'rain' },
      { kind: 'tool', name: 'getTime', args: 'not json', output: 'noon' },
      { kind: 'assistant', text: 'Rain at noon' },
    ]);
  });

  test('a call without output has no output; an orphan output still shows', () => {
    const turns = itemsToTurns([
      user('x'),
      { type: 'function_call', call_id: 'c1', name: 'slow', arguments: '{}' },
      { type: 'function_call_output', call_id: 'zz', output: 'late' },
    ]);
    assert.deepEqual(turns[0]?.entries.slice(1), [
      { kind: 'tool', name: 'slow', args: '{}' },
      { kind: 'tool', name: 'tool', args: '', output: 'late' },
    ]);
  });

  test('shortens long tool arguments and outputs, saying how much was cut', () => {
    const long = 'x'.repeat(5000);
    const turns = itemsToTurns([
      user('x'),
      { type: 'function_call', call_id: 'c', name: 'dump', arguments: JSON.stringify({ long }) },
      { type: 'function_call_output', call_id: 'c', output: long },
    ]);
    const tool = turns[0]?.entries[1];
    assert.equal(tool?.kind, 'tool');
    if (tool?.kind !== 'tool') return;
    assert.ok(tool.args.length < 1400, `args length ${tool.args.length}`);
    assert.match(tool.output ?? '', /more characters\)$/);
    assert.ok((tool.output ?? '').startsWith('xxxx'));
  });

  test('shows reasoning summaries in either shape', () => {
    const turns = itemsToTurns([
      user('think'),
      { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Considered options' }] },
      { type: 'reasoning', content: [{ type: 'input_text', text: 'SDK shape' }] },
    ]);
    assert.deepEqual(turns[0]?.entries.slice(1), [
      { kind: 'reasoning', text: 'Considered options' },
      { kind: 'reasoning', text: 'SDK shape' },
    ]);
  });

  test('other item types become one-line notes, never raw JSON', () => {
    const turns = itemsToTurns([
      user('search'),
      { type: 'web_search_call', id: 'ws1', status: 'completed', action: { query: 'secret' } },
      { type: 'hosted_tool_call', name: 'code_interpreter', providerData: { big: [1, 2, 3] } },
      42,
    ]);
    const notes = turns[0]?.entries.slice(1) ?? [];
    assert.deepEqual(notes, [
      { kind: 'note', text: 'Web search call' },
      { kind: 'note', text: 'Hosted tool call: code_interpreter' },
      { kind: 'note', text: 'Unreadable item' },
    ]);
    for (const note of notes) assert.doesNotMatch(note.kind === 'note' ? note.text : '', /[{}]/);
  });

  test('an empty history has no turns', () => {
    assert.deepEqual(itemsToTurns([]), []);
  });
});
