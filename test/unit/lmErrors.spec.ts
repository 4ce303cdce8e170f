import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isLanguageModelError, lmRunError } from '../../src/core/model/lmErrors.ts';
import { describeRunError, type RunErrorContext } from '../../src/host/chat/runErrorWords.ts';

/** What VS Code's `LanguageModelError` looks like in the extension host (name, code, message; see its class). */
class FakeLanguageModelError extends Error {
  readonly code: string;
  constructor(message: string, code: string) {
    super(message);
    this.name = 'LanguageModelError';
    this.code = code;
  }
}

const vscodeContext: RunErrorContext = { baseUrl: 'https://user:pw@llm.example.com/v1?key=abc', model: 'copilot-gpt-4o', api: 'responses', hasApiKey: false, modelSource: 'vscode' };

describe('lmRunError', () => {
  test("maps VS Code's own codes: NoPermissions, Blocked, NotFound", () => {
    assert.deepEqual(lmRunError(new FakeLanguageModelError("Language model 'x' cannot be used by 'session-chat'.", 'NoPermissions')), {
      kind: 'lmNoConsent',
      detail: "Language model 'x' cannot be used by 'session-chat'.",
    });
    assert.equal(lmRunError(new FakeLanguageModelError('blocked', 'Blocked')).kind, 'lmBlocked');
    assert.equal(lmRunError(new FakeLanguageModelError("Language model 'x' is unknown.", 'NotFound')).kind, 'lmNotFound');
  });

  test('reads the shape, not the class: an error that crossed the extension host boundary still maps', () => {
    const plain = { name: 'LanguageModelError', code: 'NoPermissions', message: 'no consent' };
    assert.ok(isLanguageModelError(plain));
    assert.deepEqual(lmRunError(plain), { kind: 'lmNoConsent', detail: 'no consent' });
  });

  test('quota and rate limits are recognised by code or words, whatever the provider calls them', () => {
    for (const [code, message] of [
      ['quotaExceeded', 'You have used all your premium requests.'],
      ['', 'Rate limit exceeded, try again in 40 seconds'],
      ['rate_limited', 'slow down'],
      ['', 'Server error: 429 Too Many Requests'],
    ]) {
      assert.equal(lmRunError(new FakeLanguageModelError(message as string, code as string)).kind, 'lmQuota', `${code} / ${message}`);
    }
    // A provider's plain Error (not a LanguageModelError) about a quota still reads as one.
    assert.equal(lmRunError(new Error('Monthly quota used up')).kind, 'lmQuota');
  });

  test('any other LanguageModelError is lmUnavailable with its words; anything else is unknown', () => {
    assert.deepEqual(lmRunError(new FakeLanguageModelError('Context length exceeded', 'context_length')), { kind: 'lmUnavailable', detail: 'Context length exceeded' });
    assert.deepEqual(lmRunError(new FakeLanguageModelError('', '')), { kind: 'lmUnavailable' });
    assert.deepEqual(lmRunError(new TypeError('x is not a function')), { kind: 'unknown', detail: 'x is not a function' });
    assert.deepEqual(lmRunError('just a string'), { kind: 'unknown', detail: 'just a string' });
    assert.deepEqual(lmRunError(undefined), { kind: 'unknown' });
  });

  test('a very long provider message is cut, so a response body never floods the panel', () => {
    const error = lmRunError(new FakeLanguageModelError('x'.repeat(5000), 'weird'));
    assert.equal(error.detail?.length, 300);
  });
});

describe('words for Language Model API failures', () => {
  test('each kind names the model, says what to do and offers the button that does it', () => {
    const cases: [ReturnType<typeof lmRunError>, RegExp, string[]][] = [
      [{ kind: 'lmNoConsent' }, /not allowed to use the VS Code model 'copilot-gpt-4o'\. Retry and allow it when VS Code asks/, ['retry', 'selectModel']],
      [{ kind: 'lmBlocked', detail: 'too many' }, /VS Code is blocking Session Chat's requests to the VS Code model 'copilot-gpt-4o' \(too many\)\. Wait a moment and retry/, ['retry', 'selectModel']],
      [{ kind: 'lmNotFound' }, /^The VS Code model 'copilot-gpt-4o' is not available\. .*Choose another model\./, ['selectModel', 'setupModel']],
      [{ kind: 'lmQuota', detail: 'Monthly quota used up.' }, /quota or rate limit is used up: Monthly quota used up\. Wait, then retry/, ['retry', 'selectModel']],
      [{ kind: 'lmUnavailable', detail: 'Context length exceeded' }, /^The VS Code model 'copilot-gpt-4o' could not answer: Context length exceeded/, ['retry', 'selectModel']],
    ];
    for (const [error, words, actions] of cases) {
      const described = describeRunError(error, vscodeContext);
      assert.match(described.message, words, error.kind);
      assert.deepEqual(described.actions, actions, error.kind);
    }
  });

  test('with a VS Code model, generic failures never name the server of the settings', () => {
    for (const kind of ['timeout', 'stream', 'unknown', 'connection'] as const) {
      const { message, actions } = describeRunError({ kind }, vscodeContext);
      assert.doesNotMatch(message, /llm\.example\.com|server|base URL/i, `${kind}: ${message}`);
      assert.match(message, /the VS Code model 'copilot-gpt-4o'/i);
      assert.deepEqual(actions, ['retry', 'selectModel']);
    }
    assert.match(describeRunError({ kind: 'timeout' }, { ...vscodeContext, timeoutMs: 1500 }).message, /did not answer within 1\.5 s/);
  });

  test('server errors keep their words when the source is the server', () => {
    assert.match(describeRunError({ kind: 'timeout' }, { ...vscodeContext, modelSource: 'openai-compatible' }).message, /The server at https:\/\/llm\.example\.com\/v1 did not answer/);
  });
});
