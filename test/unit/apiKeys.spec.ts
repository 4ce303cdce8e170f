import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { apiKeySecretName, ApiKeys, keyOrigin, LEGACY_API_KEY_SECRET, type SecretStore } from '../../src/host/platform/apiKeys.ts';

/** VS Code's SecretStorage in memory: a map of secret names to values. */
class MemorySecrets implements SecretStore {
  readonly values = new Map<string, string>();

  constructor(initial: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(initial)) this.values.set(name, value);
  }

  async get(name: string): Promise<string | undefined> {
    return this.values.get(name);
  }

  async store(name: string, value: string): Promise<void> {
    this.values.set(name, value);
  }

  async delete(name: string): Promise<void> {
    this.values.delete(name);
  }
}

const OPENAI = 'https://api.openai.com/v1';
const EVIL = 'http://evil.example/v1';

function keys(secrets: SecretStore, userBaseUrl: string | undefined = OPENAI): ApiKeys {
  return new ApiKeys(secrets, () => userBaseUrl);
}

describe('API keys per server origin', () => {
  test('a key saved for one origin is not returned for another', async () => {
    const store = keys(new MemorySecrets());
    assert.equal(await store.set(OPENAI, ' sk-openai '), 'https://api.openai.com');
    assert.equal(await store.get(OPENAI), 'sk-openai');
    assert.equal(await store.get('https://api.openai.com/v2/other?x=1'), 'sk-openai', 'same origin, other path');
    assert.equal(await store.get(EVIL), undefined);
    assert.equal(await store.get('http://api.openai.com/v1'), undefined, 'another scheme is another server');
    assert.equal(await store.get('https://api.openai.com:8443/v1'), undefined, 'another port is another server');
    assert.equal(await store.get('https://api.openai.com.evil.example/v1'), undefined);
  });

  test('the origin ignores credentials, default ports and case', () => {
    assert.equal(keyOrigin('https://user:pw@API.OpenAI.com:443/v1?key=abc'), 'https://api.openai.com');
    assert.equal(keyOrigin(' http://localhost:11434/v1 '), 'http://localhost:11434');
  });

  test('a malformed or non-http base URL gets no key and cannot be given one', async () => {
    const secrets = new MemorySecrets();
    const store = keys(secrets);
    for (const url of ['not a url', '', 'file:///etc/passwd', 'javascript:alert(1)']) {
      assert.equal(await store.get(url), undefined, url);
      await assert.rejects(store.set(url, 'sk-x'), /not an http\(s\) URL/, url);
    }
    assert.deepEqual([...secrets.values.keys()], []);
  });

  test('setting an empty key removes only that origin’s key', async () => {
    const secrets = new MemorySecrets();
    const store = keys(secrets);
    await store.set(OPENAI, 'sk-openai');
    await store.set('http://localhost:11434/v1', 'sk-local');
    await store.set(OPENAI, '   ');
    assert.equal(await store.get(OPENAI), undefined);
    assert.equal(await store.get('http://localhost:11434/v1'), 'sk-local');
    assert.deepEqual([...secrets.values.keys()], [apiKeySecretName('http://localhost:11434')]);
  });
});

describe('the key of an older version', () => {
  test('moves to the origin of the user-level base URL and the old secret is deleted', async () => {
    const secrets = new MemorySecrets({ [LEGACY_API_KEY_SECRET]: 'sk-legacy' });
    const store = keys(secrets, 'https://llm.example.com:8443/v1');
    // The first use is for a workspace's server: it must not get the old key.
    assert.equal(await store.get(EVIL), undefined);
    assert.equal(await store.get('https://llm.example.com:8443/other'), 'sk-legacy');
    assert.deepEqual([...secrets.values.entries()], [[apiKeySecretName('https://llm.example.com:8443'), 'sk-legacy']]);
  });

  test('goes to the default server when the user never set a base URL', async () => {
    const secrets = new MemorySecrets({ [LEGACY_API_KEY_SECRET]: 'sk-legacy' });
    const store = keys(secrets, OPENAI);
    assert.equal(await store.get(OPENAI), 'sk-legacy');
    assert.equal(secrets.values.has(LEGACY_API_KEY_SECRET), false);
  });

  test('stays put while the user-level base URL names no server', async () => {
    const secrets = new MemorySecrets({ [LEGACY_API_KEY_SECRET]: 'sk-legacy' });
    const store = keys(secrets, 'not a url');
    assert.equal(await store.get(OPENAI), undefined);
    assert.equal(await store.get('not a url'), undefined);
    assert.deepEqual([...secrets.values.entries()], [[LEGACY_API_KEY_SECRET, 'sk-legacy']]);
  });

  test('never overwrites a key already saved for that origin, nor one set before the first read', async () => {
    const saved = new MemorySecrets({ [LEGACY_API_KEY_SECRET]: 'sk-legacy', [apiKeySecretName('https://api.openai.com')]: 'sk-new' });
    assert.equal(await keys(saved).get(OPENAI), 'sk-new');
    assert.equal(saved.values.has(LEGACY_API_KEY_SECRET), false);

    const fresh = new MemorySecrets({ [LEGACY_API_KEY_SECRET]: 'sk-legacy' });
    const store = keys(fresh);
    await store.set(OPENAI, 'sk-typed-now');
    assert.equal(await store.get(OPENAI), 'sk-typed-now');
    assert.equal(fresh.values.has(LEGACY_API_KEY_SECRET), false);
  });

  test('a failed move is tried again on the next use', async () => {
    const secrets = new MemorySecrets({ [LEGACY_API_KEY_SECRET]: 'sk-legacy' });
    let failures = 1;
    const flaky: SecretStore = {
      get: (name) => (failures-- > 0 ? Promise.reject(new Error('keyring locked')) : secrets.get(name)),
      store: (name, value) => secrets.store(name, value),
      delete: (name) => secrets.delete(name),
    };
    const store = keys(flaky);
    await assert.rejects(store.get(OPENAI), /keyring locked/);
    assert.equal(await store.get(OPENAI), 'sk-legacy');
  });
});
