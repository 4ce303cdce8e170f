import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { connectionKind, isUnknownModel, type RunError } from '../../src/core/model/runError.ts';
import { describeRunError, type RunErrorContext } from '../../src/host/chat/runErrorWords.ts';

const SECRET_URL = 'https://user:pw@llm.example.com:8443/v1?key=abc#frag';
const context: RunErrorContext = { baseUrl: SECRET_URL, model: 'gpt-x', api: 'responses', hasApiKey: true };

const EVERY_KIND: RunError[] = [
  { kind: 'auth', status: 401, detail: 'bad key' },
  { kind: 'forbidden', status: 403, detail: 'nope.' },
  { kind: 'notFound', status: 404, detail: 'Unknown path' },
  { kind: 'unknownModel', status: 404, detail: 'no such model' },
  { kind: 'rateLimit', status: 429, detail: 'slow down.' },
  { kind: 'server', status: 503, detail: 'overloaded' },
  { kind: 'server', detail: 'the model crashed' },
  { kind: 'badRequest', status: 400, detail: 'bad field' },
  { kind: 'timeout' },
  { kind: 'connection', detail: 'ECONNREFUSED' },
  { kind: 'connection', detail: 'ENOTFOUND' },
  { kind: 'refused', detail: 'ECONNREFUSED' },
  { kind: 'offline', detail: 'EAI_AGAIN' },
  { kind: 'connection', detail: 'ECONNRESET' },
  { kind: 'connection' },
  { kind: 'stream' },
  { kind: 'badEvent', detail: 'Error reading response: malformed server-sent event JSON.' },
  { kind: 'invalidUrl', detail: 'the base URL contains a user name or password' },
  { kind: 'invalidUrl', detail: 'the base URL does not start with http:// or https://' },
  { kind: 'unknown', detail: 'boom' },
];

describe('describeRunError', () => {
  test('no message shows the base URL user name, password, query or fragment; URLs appear as origin and path', () => {
    for (const error of EVERY_KIND) {
      const { message, actions } = describeRunError(error, context);
      for (const secret of ['pw', 'user:', 'key=abc', 'frag']) assert.ok(!message.includes(secret), `${error.kind}: ${message}`);
      assert.ok(actions.length > 0, `${error.kind} offers something to do`);
      if (message.includes('llm.example.com')) assert.ok(message.includes('https://llm.example.com:8443/v1'), message);
    }
  });

  test('keeps the wording and buttons users know', () => {
    const server = 'https://llm.example.com:8443/v1';
    assert.deepEqual(describeRunError({ kind: 'auth', status: 401 }, context), { message: `The server at ${server} rejected the API key (401). Set a valid API key.`, actions: ['setApiKey', 'retry'] });
    assert.deepEqual(describeRunError({ kind: 'auth', status: 401 }, { ...context, hasApiKey: false }), { message: `The server at ${server} needs an API key (401). Set one to continue.`, actions: ['setApiKey', 'setupModel', 'retry'] });
    assert.deepEqual(describeRunError({ kind: 'forbidden', status: 403, detail: 'Not for you.' }, context), { message: `The server refused access to model 'gpt-x' (403): Not for you. Check the key's permissions or choose another model.`, actions: ['selectModel', 'setApiKey'] });
    assert.deepEqual(describeRunError({ kind: 'unknownModel', status: 404 }, context), { message: `Model 'gpt-x' was not found on the server (404). Choose another model.`, actions: ['selectModel'] });
    assert.deepEqual(describeRunError({ kind: 'rateLimit', status: 429, detail: 'Limit 3.' }, context), { message: 'The server is limiting requests (429): Limit 3. Wait a moment, then retry.', actions: ['retry'] });
    assert.equal(describeRunError({ kind: 'server', status: 500 }, context).message, `The server at ${server} had an internal error (500). Retry in a moment.`);
    assert.equal(describeRunError({ kind: 'server', detail: 'The model crashed.' }, context).message, 'The server could not finish the answer: The model crashed.');
    assert.deepEqual(describeRunError({ kind: 'badRequest', status: 400, detail: 'Bad field.' }, context), { message: 'The server rejected the request (400): Bad field.', actions: ['openSettings', 'retry'] });
    assert.equal(describeRunError({ kind: 'refused', detail: 'ECONNREFUSED' }, context).message, `The server at ${server} refused the connection. Is it running?`);
    assert.equal(describeRunError({ kind: 'connection', detail: 'ECONNRESET' }, context).message, `Could not reach the server at ${server} (ECONNRESET). Check the base URL and your network.`);
    assert.deepEqual(describeRunError({ kind: 'stream' }, context), { message: 'The connection to the server broke off in the middle of the answer. Retry to ask again.', actions: ['retry'] });
    assert.deepEqual(describeRunError({ kind: 'unknown', detail: 'boom' }, context), { message: 'The request failed: boom', actions: ['retry', 'openSettings'] });
  });

  test('a timeout names the wait and offers Retry, without pointing at a timeout setting that does not exist', () => {
    const { message, actions } = describeRunError({ kind: 'timeout' }, { ...context, timeoutMs: 1500 });
    assert.match(message, /did not answer within 1\.5 s/);
    assert.doesNotMatch(message, /timeout/i);
    assert.equal(actions[0], 'retry');
    assert.match(describeRunError({ kind: 'timeout' }, context).message, /within 60 s/);
  });

  test('a malformed event is named as such, not as a dropped connection', () => {
    const { message, actions } = describeRunError({ kind: 'badEvent' }, context);
    assert.match(message, /sent an invalid event/);
    assert.doesNotMatch(message, /connection|broke off/);
    assert.equal(actions[0], 'retry');
  });

  test('a base URL with credentials says to move the key to Set API Key; other unusable URLs point at settings', () => {
    const credentials = describeRunError({ kind: 'invalidUrl', detail: 'the base URL contains a user name or password' }, context);
    assert.match(credentials.message, /contains a user name or password\. .*Set API Key/);
    assert.deepEqual(credentials.actions, ['openSettings', 'setApiKey']);
    const scheme = describeRunError({ kind: 'invalidUrl', detail: 'the base URL does not start with http:// or https://' }, { ...context, baseUrl: 'localhost:11434' });
    assert.match(scheme.message, /cannot be used: the base URL does not start with http:\/\/ or https:\/\//);
    assert.deepEqual(scheme.actions, ['setupModel', 'openSettings']);
  });

  test('offline, refused, wrong path, missing key, unknown model and rate limit read differently, each with the button that fixes it', () => {
    const server = 'https://llm.example.com:8443/v1';
    const cases: [RunError, RegExp, string[]][] = [
      [{ kind: 'offline', detail: 'ENOTFOUND' }, /could not be found \(ENOTFOUND\)\. Check your network connection/, ['retry', 'setupModel']],
      [{ kind: 'refused', detail: 'ECONNREFUSED' }, /refused the connection\. Is it running\?/, ['retry', 'setupModel']],
      [{ kind: 'notFound', status: 404 }, new RegExp(`${server.replace(/[./]/g, '\\$&')} has nothing at this address \\(404\\)\\. Check the base URL`), ['setupModel', 'openSettings']],
      [{ kind: 'auth', status: 401 }, /needs an API key \(401\)/, ['setApiKey', 'setupModel', 'retry']],
      [{ kind: 'forbidden', status: 403 }, /refused access to model 'gpt-x' \(403\)/, ['selectModel', 'setApiKey']],
      [{ kind: 'unknownModel', status: 404, detail: 'model "gpt-x" not found' }, /Model 'gpt-x' was not found/, ['selectModel']],
      [{ kind: 'rateLimit', status: 429 }, /limiting requests \(429\)/, ['retry']],
    ];
    const messages = new Set<string>();
    for (const [error, words, actions] of cases) {
      const described = describeRunError(error, { ...context, hasApiKey: false });
      assert.match(described.message, words, error.kind);
      assert.deepEqual(described.actions, actions, error.kind);
      messages.add(described.message);
    }
    assert.equal(messages.size, cases.length, 'no two read the same');
    // Errors stored before the split (kind `connection` with the code) read as the new kinds.
    assert.equal(describeRunError({ kind: 'connection', detail: 'ENOTFOUND' }, context).message, describeRunError({ kind: 'offline', detail: 'ENOTFOUND' }, context).message);
  });

  test('a wrong path on a Responses server hints at the Chat Completions setting', () => {
    assert.match(describeRunError({ kind: 'notFound', status: 404 }, context).message, /only speaks Chat Completions, switch the wire API/);
    assert.doesNotMatch(describeRunError({ kind: 'notFound', status: 404 }, { ...context, api: 'chat-completions' }).message, /Chat Completions/);
  });
});

describe('RunError kinds from low-level codes and server words', () => {
  test('connectionKind: DNS failures and a down network are offline; ECONNREFUSED is refused; the rest connection', () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']) assert.equal(connectionKind(code), 'offline', code);
    assert.equal(connectionKind('ECONNREFUSED'), 'refused');
    assert.equal(connectionKind('ECONNRESET'), 'connection');
    assert.equal(connectionKind(undefined), 'connection');
  });

  test('isUnknownModel: the servers\' ways of saying a model does not exist, not a wrong path', () => {
    assert.equal(isUnknownModel(404, 'model_not_found', ''), true, 'OpenAI code');
    assert.equal(isUnknownModel(404, null, 'The model `gpt-9` does not exist or you do not have access to it.'), true, 'OpenAI / vLLM words');
    assert.equal(isUnknownModel(404, null, 'model "llama9" not found, try pulling it first'), true, 'Ollama');
    assert.equal(isUnknownModel(400, null, 'foo is not a valid model ID'), false, 'only the words the check knows');
    assert.equal(isUnknownModel(400, null, "Invalid value for 'temperature'."), false, 'a 400 about something else');
    assert.equal(isUnknownModel(400, null, 'Invalid model identifier: foo'), true, 'OpenRouter');
    assert.equal(isUnknownModel(404, null, 'Unknown path POST /nowhere/responses'), false, 'wrong path');
    assert.equal(isUnknownModel(404, null, '404 page not found'), false, 'Ollama wrong path');
    assert.equal(isUnknownModel(500, null, 'model not found'), false, 'a server error stays a server error');
  });
});
