import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INSTRUCTIONS_CLOSE, INSTRUCTIONS_OPEN, lmMessageText, toLmMessages } from '../../src/core/model/lmHistory.ts';
import { assistantItem, callOutputItem, functionCallItem, modelCallItem, userItem } from '../../src/core/model/items.ts';
import type { Item } from '../../src/core/session/session.ts';

describe('toLmMessages (stored items as Language Model API messages)', () => {
  test('the system prompt comes first, as a delimited user message; without one nothing is added', () => {
    const [first, second] = toLmMessages([userItem('hi')], 'Be brief.');
    assert.equal(first?.role, 'user');
    const text = first?.parts[0]?.type === 'text' ? first.parts[0].text : '';
    assert.ok(text.startsWith(`${INSTRUCTIONS_OPEN}\n`) && text.endsWith(`\n${INSTRUCTIONS_CLOSE}`), text);
    assert.match(text, /Be brief\./);
    assert.deepEqual(second, { role: 'user', parts: [{ type: 'text', text: 'hi' }] });
    assert.deepEqual(toLmMessages([userItem('hi')], '  '), [{ role: 'user', parts: [{ type: 'text', text: 'hi' }] }]);
  });

  test('tool calls join the assistant message before them and their outputs follow in one user message, in either stored shape', () => {
    const readCall = modelCallItem('call_1', 'read_file', '{"path":"a.ts"}');
    const listCall = functionCallItem('call_2', 'list_files', '{"glob":"*"}');
    const history: Item[] = [
      userItem('look'),
      assistantItem('Let me look.'),
      readCall,
      listCall,
      callOutputItem(readCall, 'file a'),
      { type: 'function_call_result', callId: 'call_2', name: 'list_files', output: { type: 'text', text: 'a.ts' } },
      { type: 'reasoning', summary: [] },
      assistantItem('Done.'),
    ];
    assert.deepEqual(toLmMessages(history, undefined), [
      { role: 'user', parts: [{ type: 'text', text: 'look' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'text', text: 'Let me look.' },
          { type: 'toolCall', callId: 'call_1', name: 'read_file', input: { path: 'a.ts' } },
          { type: 'toolCall', callId: 'call_2', name: 'list_files', input: { glob: '*' } },
        ],
      },
      {
        role: 'user',
        parts: [
          { type: 'toolResult', callId: 'call_1', text: 'file a' },
          { type: 'toolResult', callId: 'call_2', text: 'a.ts' },
        ],
      },
      { role: 'assistant', parts: [{ type: 'text', text: 'Done.' }] },
    ]);
  });

  test('a call without text before it opens an assistant message; unreadable arguments become {}', () => {
    const messages = toLmMessages([userItem('q'), modelCallItem('c', 'get_problems', 'not json')], undefined);
    assert.deepEqual(messages[1], { role: 'assistant', parts: [{ type: 'toolCall', callId: 'c', name: 'get_problems', input: {} }] });
  });

  test('part-array content is joined; empty messages are left out; system items are delimited user messages', () => {
    const messages = toLmMessages(
      [
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'a' }, { type: 'input_text', text: 'b' }] },
        { type: 'message', role: 'assistant', content: [] },
        { role: 'developer', content: 'Answer in French.' },
      ],
      undefined,
    );
    assert.equal(messages.length, 2);
    assert.deepEqual(messages[0], { role: 'user', parts: [{ type: 'text', text: 'ab' }] });
    assert.match(lmMessageText(messages[1] as never), new RegExp(`^${INSTRUCTIONS_OPEN}[\\s\\S]*Answer in French\\.[\\s\\S]*${INSTRUCTIONS_CLOSE}$`));
  });
});
