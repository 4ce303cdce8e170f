import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { RunError } from '../../src/core/model/runError.ts';
import { describeRunError, type RunErrorContext } from '../../src/host/chat/runErrorWords.ts';

const SECRET_URL = 'https://user:pw@llm.example.com:8443/v1?key=abc#frag';
const context: RunErrorContext = { baseUrl: SECRET_URL, model: 'gpt-x', api: 'responses', hasApiKey: true };

const EVERY_KIND: RunError[] = [
  { kind: 'auth', status: 401, detail: 'bad key' },
  { kind: 'forbidden', status: 403, detail: 'nope.' },
  { kind: 'notFound', status: 404, detail: 'no such model' },
  { kind: 'rateLimit', status: 429, detail: 'slow down.' },
  { kind: 'server', status: 503, detail: 'overloaded' },
  { kind: 'server', detail: 'the model crashed' },
  { kind: 'badRequest', status: 400, detail: 'bad field' },
  { kind: 'timeout' },
  { kind: 'connection', detail: 'ECONNREFUSED' },
  { kind: 'connection', detail: 'ENOTFOUND' },
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
    assert.deepEqual(describeRunError({ kind: 'auth', status: 401 }, { ...context, hasApiKey: false }), { message: `The server at ${server} needs an API key (401). Set one to continue.`, actions: ['setApiKey', 'retry'] });
    assert.deepEqual(describeRunError({ kind: 'forbidden', status: 403, detail: 'Not for you.' }, context), { message: `The server refused access to model 'gpt-x' (403): Not for you. Check the key's permissions or choose another model.`, actions: ['selectModel', 'setApiKey'] });
    assert.equal(describeRunError({ kind: 'notFound', status: 404 }, context).message, `Model 'gpt-x' was not found on the server (404). Choose another model. If this server only speaks Chat Completions, switch the wire API in settings.`);
    assert.equal(describeRunError({ kind: 'notFound', status: 404 }, { ...context, api: 'chat-completions' }).message, `Model 'gpt-x' was not found on the server (404). Choose another model.`);
    assert.deepEqual(describeRunError({ kind: 'rateLimit', status: 429, detail: 'Limit 3.' }, context), { message: 'The server is limiting requests (429): Limit 3. Wait a moment, then retry.', actions: ['retry'] });
    assert.equal(describeRunError({ kind: 'server', status: 500 }, context).message, `The server at ${server} had an internal error (500). Retry in a moment.`);
    assert.equal(describeRunError({ kind: 'server', detail: 'The model crashed.' }, context).message, 'The server could not finish the answer: The model crashed.');
    assert.deepEqual(describeRunError({ kind: 'badRequest', status: 400, detail: 'Bad field.' }, context), { message: 'The server rejected the request (400): Bad field.', actions: ['openSettings', 'retry'] });
    assert.equal(describeRunError({ kind: 'connection', detail: 'ECONNREFUSED' }, context).message, `The server at ${server} refused the connection. Is it running?`);
    assert.deepEqual(describeRunError({ kind: 'connection', detail: 'ENOTFOUND' }, context), { message: `The host in ${server} could not be found. Check the base URL in settings.`, actions: ['openSettings', 'retry'] });
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
    assert.deepEqual(scheme.actions, ['openSettings']);
  });
});
