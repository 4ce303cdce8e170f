import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addressedAgent, findAgent, parseAgents } from '../../src/core/agents/agents.ts';

const SETTING = [
  { name: 'support', instructions: 'You answer support questions.' },
  { name: 'billing', instructions: 'You answer billing questions.', model: 'test-model-large', tools: [] },
];

describe('agents', () => {
  test('reads sessionChat.agents: names, instructions, model and tools', () => {
    const { agents, problems } = parseAgents(SETTING);
    assert.deepEqual(problems, []);
    assert.deepEqual(agents, [
      { name: 'support', instructions: 'You answer support questions.' },
      { name: 'billing', instructions: 'You answer billing questions.', model: 'test-model-large', tools: [] },
    ]);
  });

  test('leaves out what cannot be used and says why, keeping the rest', () => {
    const { agents, problems } = parseAgents([
      'just a string',
      { name: 'has space', instructions: 'x' },
      { name: 'quiet' },
      { name: 'Support', instructions: 'first' },
      { name: 'support', instructions: 'second' },
      { name: 'reader', instructions: 'reads', tools: ['read_file', 'rm_rf'] },
    ]);
    assert.deepEqual(agents.map((agent) => agent.name), ['Support', 'reader']);
    assert.deepEqual(agents[1]!.tools, ['read_file']);
    assert.equal(problems.length, 5);
    assert.match(problems[0]!, /Entry 1 .* not an object/);
    assert.match(problems[1]!, /"has space" has no usable name/);
    assert.match(problems[2]!, /"quiet" has no instructions/);
    assert.match(problems[3]!, /two agents named "support"/);
    assert.match(problems[4]!, /"reader" names tools that do not exist \(rm_rf\)/);
    assert.deepEqual(parseAgents({ name: 'x' }), { agents: [], problems: ['sessionChat.agents is not a list of agents; no agents are used.'] });
    assert.deepEqual(parseAgents(undefined), { agents: [], problems: [] });
  });

  test('@name at the start addresses that agent, ignoring case; the picked agent answers otherwise', () => {
    const { agents } = parseAgents(SETTING);
    assert.equal(addressedAgent('@billing why was I charged twice?', agents).agent?.name, 'billing');
    assert.equal(addressedAgent('  @BILLING\nwhy?', agents).agent?.name, 'billing');
    assert.equal(addressedAgent('@billing', agents).agent?.name, 'billing');
    assert.equal(addressedAgent('hello', agents).agent, undefined);
    assert.equal(addressedAgent('hello', agents, 'support').agent?.name, 'support');
    assert.equal(addressedAgent('@billing hi', agents, 'support').agent?.name, 'billing');
    // Not at the start, or glued to more text: not an address.
    assert.equal(addressedAgent('ask @billing later', agents, 'support').agent?.name, 'support');
    assert.equal(addressedAgent('@billing, hi', agents).agent?.name, 'billing');
    assert.equal(addressedAgent('@billing.com hi', agents).agent, undefined);
    assert.equal(addressedAgent('email me at a@billing.com', agents).agent, undefined);
  });

  test('an unknown @name is reported, and the message goes to the picked agent', () => {
    const { agents } = parseAgents(SETTING);
    assert.deepEqual(addressedAgent('@sales hi', agents, 'support'), { agent: findAgent(agents, 'support'), unknownName: 'sales' });
    assert.deepEqual(addressedAgent('@sales hi', agents), { agent: undefined, unknownName: 'sales' });
  });
});
