import type { Item } from '../../../src/core/session/session.ts';

/** Items per turn, as a real turn: question, tool call, tool output, answer. */
export const ITEMS_PER_TURN = 4;

/** The items of one turn, each tagged with who wrote it and where in the turn it belongs. */
export function turnItems(writer: string, turn: number): Item[] {
  const tag = { writer, turn };
  return [
    { type: 'message', role: 'user', content: `question ${turn} from ${writer}`, ...tag, part: 0 },
    { type: 'function_call', call_id: `${writer}-${turn}`, name: 'lookup', arguments: '{}', ...tag, part: 1 },
    { type: 'function_call_output', call_id: `${writer}-${turn}`, output: 'x'.repeat(200), ...tag, part: 2 },
    { type: 'message', role: 'assistant', content: `answer ${turn}`, ...tag, part: 3 },
  ];
}
