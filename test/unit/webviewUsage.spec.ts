import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContextView, Snapshot } from '../../src/shared/protocol.ts';
import { answerLines, meterLines, shortTokens } from '../../src/webview/usageText.ts';
import { startWebview } from './helpers/webviewHarness.ts';

const base: Snapshot = {
  thread: { id: 't1', title: 'Billing' },
  turns: [
    {
      id: 1,
      entries: [{ kind: 'user', text: 'Why was I charged twice?' }, { kind: 'assistant', text: 'The second charge is a **pre-authorisation**.' }],
      answer: { agent: 'billing', model: 'gpt-test', usage: { input: 1234, output: 567, cached: 1000, estimated: false } },
    },
    {
      id: 5,
      entries: [{ kind: 'user', text: 'Thanks' }, { kind: 'assistant', text: 'You are welcome.' }],
      answer: { model: 'lm-local', usage: { input: 2000, output: 12, cached: 0, estimated: true } },
    },
  ],
  hasOlder: false,
  canUndo: true,
  canRedo: false,
  model: 'gpt-test',
};

const context = (overrides: Partial<ContextView> = {}): ContextView => ({ used: 12_345, window: 128_000, windowFrom: 'model', trimmedTurns: 0, level: 'ok', ...overrides });

function start(snapshot: Snapshot) {
  const ui = startWebview();
  ui.send({ type: 'thread/snapshot', snapshot });
  const q = <T extends Element = HTMLElement>(selector: string): T | null => ui.root.querySelector<T & Element>(selector);
  return { ...ui, q, doc: ui.window.document };
}

/** The lines of the card that describes `trigger`. */
function cardLines(doc: Document, trigger: Element): string[] {
  const card = doc.getElementById(trigger.getAttribute('aria-describedby') ?? '');
  assert.ok(card, 'the trigger is described by its card');
  assert.equal(card.getAttribute('role'), 'tooltip');
  return Array.from(card.children, (line) => line.textContent ?? '');
}

describe('webview usage: figures in words', () => {
  test('short token counts for the footer', () => {
    assert.deepEqual([0, 950, 1000, 1234, 12_345, 99_960, 128_000, 200_000, 1_048_576].map(shortTokens), ['0', '950', '1k', '1.2k', '12.3k', '100k', '128k', '200k', '1M']);
  });

  test('an answer without usage or model says nothing; cached tokens are named only when there are some', () => {
    assert.deepEqual(answerLines(undefined), []);
    assert.deepEqual(answerLines({ agent: 'billing' }), []);
    assert.deepEqual(answerLines({ usage: { input: 10, output: 2, cached: 0, estimated: false } }), ['Input 10 tokens', 'Output 2 tokens']);
  });

  test('the meter card names where the window comes from, what is trimmed and the thread so far', () => {
    assert.match(meterLines(context({ windowFrom: 'setting' }), undefined)[1] ?? '', /128,000 tokens, from the setting sessionChat\.contextWindow/);
    assert.match(meterLines(context({ windowFrom: 'assumed' }), undefined)[1] ?? '', /assumed/);
    const lines = meterLines(context({ trimmedTurns: 1 }), { input: 40_000, output: 3_000, cached: 0, estimated: false, answers: 1 });
    assert.equal(lines[2], '1 older turn is not sent (trimmed to fit). They stay in the thread.');
    assert.equal(lines[3], 'This thread so far: input 40,000 tokens, output 3,000 tokens, 1 answer.');
  });
});

describe('webview usage: who answered and what it cost', () => {
  test("an agent's answer is labelled @name, visibly and for screen readers; the default agent's is not", () => {
    const ui = start(base);
    const answers = Array.from(ui.root.querySelectorAll('article.assistant'));
    assert.equal(answers[0]?.querySelector('.agent-label')?.textContent, '@billing');
    assert.match(answers[0]?.getAttribute('aria-label') ?? '', /^Assistant @billing: The second charge is a pre-authorisation\./);
    assert.equal(answers[1]?.querySelector('.agent-label'), null);
    assert.match(answers[1]?.getAttribute('aria-label') ?? '', /^Assistant: You are welcome/);
  });

  test('a streaming answer is labelled with its agent as soon as the host names it', () => {
    const ui = start({ ...base, stream: { id: 'r1', text: 'The invoice' } });
    const live = () => ui.root.querySelector('article.assistant.streaming');
    assert.equal(live()?.querySelector('.agent-label'), null, 'the default agent, or not planned yet: no label');
    ui.send({ type: 'thread/snapshot', snapshot: { ...base, stream: { id: 'r1', agent: 'billing' } } });
    ui.send({ type: 'chat/delta', id: 'r1', delta: ' is ready.' });
    assert.equal(live()?.querySelector('.agent-label')?.textContent, '@billing');
    assert.equal(live()?.querySelectorAll('.agent-label').length, 1, 'labelled once, not once per frame');
    assert.equal(live()?.getAttribute('aria-label'), 'Assistant @billing is answering');
  });

  test('the info button of an answer is reachable by keyboard and described by a card with tokens, cache and model', () => {
    const ui = start(base);
    const [first, second] = Array.from(ui.root.querySelectorAll<HTMLButtonElement>('button.usage-info'));
    assert.ok(first && second);
    assert.equal(first.getAttribute('aria-label'), 'Tokens and model of this answer');
    assert.equal(first.tabIndex, 0);
    assert.deepEqual(cardLines(ui.doc, first), ['Input 1,234 tokens (of which cached 1,000)', 'Output 567 tokens', 'Model gpt-test']);
    assert.deepEqual(cardLines(ui.doc, second), ['Input 2,000 tokens', 'Output 12 tokens', 'Model lm-local', 'Estimated: the model source did not report all of these figures.']);
  });

  test('Escape closes the card without stopping anything; leaving the button lets it open again', () => {
    const ui = start(base);
    const button = ui.q<HTMLButtonElement>('button.usage-info')!;
    const anchor = button.parentElement!;
    button.focus();
    const escape = new ui.window.KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true });
    button.dispatchEvent(escape);
    assert.ok(anchor.classList.contains('dismissed'));
    assert.ok(escape.defaultPrevented);
    button.blur();
    assert.ok(!anchor.classList.contains('dismissed'));
  });

  test('usage arriving in a later snapshot shows on the answer already rendered', () => {
    const plain = { ...base, turns: [{ ...base.turns[0]!, answer: undefined }] };
    const ui = start(plain);
    assert.equal(ui.q('button.usage-info'), null);
    ui.send({ type: 'thread/snapshot', snapshot: base });
    assert.ok(ui.q('button.usage-info'));
  });
});

describe('webview usage: the context meter', () => {
  test('without context the footer shows only the model', () => {
    const ui = start(base);
    assert.equal(ui.q<HTMLElement>('.meter-card')!.hidden, true);
    assert.equal(ui.q<HTMLElement>('.context-warning')!.hidden, true);
  });

  test('the meter shows "12.3k / 128k tokens" with a bar, as a labelled meter, and its card explains it', () => {
    const ui = start({ ...base, context: context({ trimmedTurns: 3 }), usage: { input: 3234, output: 579, cached: 1000, estimated: true, answers: 2 } });
    const meter = ui.q<HTMLElement>('.chat-footer [role="meter"]')!;
    assert.ok(meter);
    assert.equal(ui.q('.chat-footer .meter-text')?.textContent, '12.3k / 128k tokens');
    assert.equal(meter.getAttribute('aria-label'), 'Context window used by the next request');
    assert.deepEqual(['aria-valuemin', 'aria-valuenow', 'aria-valuemax'].map((name) => meter.getAttribute(name)), ['0', '12345', '128000']);
    assert.equal(meter.getAttribute('aria-valuetext'), '12.3k of 128k tokens (10 %)');
    assert.equal(meter.tabIndex, 0);
    assert.equal(ui.q<HTMLElement>('.meter-fill')!.style.width, '10%');
    assert.ok(meter.classList.contains('level-ok'));
    assert.equal(meter.querySelector<HTMLElement>('.meter-icon')!.hidden, true, 'no warning icon while it fits');
    assert.deepEqual(cardLines(ui.doc, meter), [
      'The next request sends about 12,345 tokens (10 % of the window): the system prompt, the history sent and waiting attachments.',
      'Context window: 128,000 tokens, as the model reports it.',
      '3 older turns are not sent (trimmed to fit). They stay in the thread.',
      'This thread so far: input 3,234 tokens (of which cached 1,000), output 579 tokens, 2 answers (partly estimated).',
    ]);
    assert.equal(ui.q<HTMLElement>('.context-warning')!.hidden, true, 'no warning while it fits easily');
  });

  test('near the window: warning level, a warning line naming Compact Thread, whose button runs it', () => {
    const ui = start({ ...base, context: context({ used: 110_000, level: 'near' }) });
    const meter = ui.q<HTMLElement>('[role="meter"]')!;
    assert.ok(meter.classList.contains('level-near'));
    assert.ok(meter.querySelector('.meter-icon.codicon-warning:not([hidden])'), 'an icon says it, not the colour alone');
    assert.equal(meter.getAttribute('aria-valuetext'), '110k of 128k tokens (86 %), near the limit');
    const warning = ui.q<HTMLElement>('.composer-slot .context-warning')!;
    assert.equal(warning.hidden, false);
    assert.equal(warning.getAttribute('role'), 'status');
    assert.match(warning.textContent ?? '', /The thread is near the model's context window: older turns will be left out\. Compact Thread summarises them\./);
    const buttons = Array.from(warning.querySelectorAll('button'));
    assert.deepEqual(buttons.map((button) => button.textContent), ['Compact Thread']);
    buttons[0]!.click();
    assert.deepEqual(ui.api.posted.at(-1), { type: 'command/run', command: 'compactThread' });
    ui.send({ type: 'thread/snapshot', snapshot: { ...base, context: context() } });
    assert.equal(warning.hidden, true, 'the warning goes once the thread fits again');
  });

  test('over the window: error level, the meter value stays in range, and the line offers New Thread and Select Model', () => {
    const ui = start({ ...base, context: context({ used: 150_000, level: 'over' }) });
    const meter = ui.q<HTMLElement>('[role="meter"]')!;
    assert.ok(meter.classList.contains('level-over'));
    assert.ok(meter.querySelector('.meter-icon.codicon-error:not([hidden])'));
    assert.equal(meter.getAttribute('aria-valuenow'), '128000');
    assert.equal(meter.getAttribute('aria-valuetext'), '150k of 128k tokens (117 %), does not fit');
    assert.equal(ui.q<HTMLElement>('.meter-fill')!.style.width, '100%');
    const warning = ui.q<HTMLElement>('.context-warning')!;
    assert.ok(warning.classList.contains('level-over'));
    assert.match(warning.textContent ?? '', /The newest turn alone does not fit in the model's context window\. Start a New Thread, or select a model with a larger window\./);
    for (const button of Array.from(warning.querySelectorAll('button'))) button.click();
    assert.deepEqual(ui.api.posted.slice(-2), [{ type: 'command/run', command: 'newThread' }, { type: 'command/run', command: 'selectModel' }]);
  });
});
