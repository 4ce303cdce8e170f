import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { answerReserve, fitHistory, itemsTokens, itemTokens, TOKENS_PER_MESSAGE } from '../../src/core/context/contextBudget.ts';
import { assistantItem, callOutputItem, modelCallItem, userItem } from '../../src/core/model/items.ts';
import type { Item } from '../../src/core/session/session.ts';

/** A turn whose question and answer are each `chars` characters long. */
function turn(label: string, chars = 40): Item[] {
  return [userItem(label.padEnd(chars, '.')), assistantItem(`answer ${label}`.padEnd(chars, '.'))];
}

describe('context budget', () => {
  test('counts a known history: characters / 4 rounded up, plus the framing of each message', () => {
    const history = [userItem('a'.repeat(400)), assistantItem('b'.repeat(401)), modelCallItem('c1', 'read_file', '{"path":"README.md"}'), callOutputItem(modelCallItem('c1', 'read_file', ''), 'x'.repeat(100))];
    assert.equal(itemTokens(history[0]!), 100 + TOKENS_PER_MESSAGE);
    assert.equal(itemTokens(history[1]!), 101 + TOKENS_PER_MESSAGE);
    assert.equal(itemTokens(history[2]!), Math.ceil('read_file{"path":"README.md"}'.length / 4) + TOKENS_PER_MESSAGE);
    assert.equal(itemsTokens(history), 100 + 101 + 8 + 25 + 4 * TOKENS_PER_MESSAGE);
  });

  test('keeps the newest whole turns that fit, oldest first, and counts what was left out', () => {
    const history = [...turn('one'), ...turn('two'), ...turn('three'), ...turn('four')];
    const perTurn = itemsTokens(turn('x'));
    const fitted = fitHistory(history, perTurn * 2 + 1);
    assert.equal(fitted.trimmedTurns, 2);
    assert.deepEqual(fitted.items, history.slice(4));
    assert.equal(fitted.tokens, perTurn * 2);
    assert.equal(fitted.over, false);
  });

  test('never separates a tool call from its output: the turn goes whole or not at all', () => {
    const call = modelCallItem('c1', 'read_file', '{"path":"a"}');
    const toolTurn = [userItem('read a'), call, callOutputItem(call, 'y'.repeat(2000)), assistantItem('done')];
    const history = [...turn('old'), ...toolTurn, ...turn('new')];
    const budget = itemsTokens(turn('new')) + 50; // room for the newest turn, not for the whole tool turn
    const fitted = fitHistory(history, budget);
    assert.deepEqual(fitted.items, turn('new'));
    assert.equal(fitted.trimmedTurns, 2);
    const roomier = fitHistory(history, itemsTokens([...toolTurn, ...turn('new')]));
    assert.deepEqual(roomier.items, [...toolTurn, ...turn('new')]);
  });

  test('the newest turn alone too large is still sent, and marked over', () => {
    const history = [...turn('old'), userItem('z'.repeat(10_000))];
    const fitted = fitHistory(history, 100);
    assert.equal(fitted.items.length, 1);
    assert.equal(fitted.over, true);
    assert.equal(fitted.trimmedTurns, 1);
  });

  test('a 5,000-turn thread sends only what fits, not 20,001 items', () => {
    const history: Item[] = [];
    for (let index = 0; index < 5000; index++) history.push(...turn(`q${index}`, 200), ...turn(`more${index}`, 200).slice(0, 2));
    history.push(userItem('the question'));
    const fitted = fitHistory(history, 8_000);
    assert.ok(fitted.items.length < 200, `${fitted.items.length} items sent`);
    assert.ok(fitted.tokens <= 8_000);
    assert.deepEqual(fitted.items.at(-1), userItem('the question'));
  });

  test('the answer keeps a quarter of a small window, at most 8,192 tokens of a large one', () => {
    assert.equal(answerReserve(4_000), 1_000);
    assert.equal(answerReserve(200_000), 8_192);
  });
});
