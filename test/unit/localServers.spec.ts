import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decideSetup, detectLocalServers, LOCAL_SERVERS, probeModels, type ListModels, type ProbeResult } from '../../src/core/model/localServers.ts';
import { ModelSourceError, type RunError } from '../../src/core/model/runError.ts';
import { startTestModelServer, TEST_MODELS } from '../fixtures/testModelServer.ts';
import { OpenAiCompatibleSource } from '../../src/core/model/openAiCompatibleSource.ts';

const failing = (error: RunError): ProbeResult => ({ ok: false, error });

describe('decideSetup: is a usable model configured?', () => {
  const facts = (overrides: Partial<Parameters<typeof decideSetup>[0]>) => {
    let probes = 0;
    const probe = overrides.probe ?? (async () => ({ ok: true as const, models: ['m'] }));
    return { facts: { baseUrl: 'http://127.0.0.1:11434/v1', chosen: true, hasKey: false, ...overrides, probe: () => (probes++, probe()) }, probes: () => probes };
  };

  test('a saved key: usable, without a request', async () => {
    const { facts: given, probes } = facts({ baseUrl: 'https://api.openai.com/v1', hasKey: true });
    assert.equal(await decideSetup(given), undefined);
    assert.equal(probes(), 0);
  });

  test('OpenAI (and other hosted APIs) without a key: "not chosen" when the defaults were left alone, else "no key"; never probed', async () => {
    const defaults = facts({ baseUrl: 'https://api.openai.com/v1', chosen: false });
    assert.equal(await decideSetup(defaults.facts), 'notChosen');
    const chosen = facts({ baseUrl: 'https://openrouter.ai/api/v1', chosen: true });
    assert.equal(await decideSetup(chosen.facts), 'noKey');
    assert.equal(defaults.probes() + chosen.probes(), 0);
  });

  test('another server without a key is probed once: it answering is usable; 401 needs a key; refused or unresolvable is unreachable; slow or odd is given the benefit of the doubt', async () => {
    const cases: [ProbeResult, string | undefined][] = [
      [{ ok: true, models: [] }, undefined],
      [failing({ kind: 'auth', status: 401 }), 'noKey'],
      [failing({ kind: 'forbidden', status: 403 }), 'noKey'],
      [failing({ kind: 'refused', detail: 'ECONNREFUSED' }), 'unreachable'],
      [failing({ kind: 'offline', detail: 'ENOTFOUND' }), 'unreachable'],
      [failing({ kind: 'timeout' }), undefined],
      [failing({ kind: 'notFound', status: 404 }), undefined],
    ];
    for (const [result, expected] of cases) {
      const { facts: given, probes } = facts({ probe: async () => result });
      assert.equal(await decideSetup(given), expected, JSON.stringify(result));
      assert.equal(probes(), 1);
    }
  });
});

describe('probing servers', () => {
  test('probeModels reports a server that does not answer in time as a timeout, and never rejects', async () => {
    const hang: ListModels = (_url, _key, signal) => new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))));
    const started = Date.now();
    assert.deepEqual(await probeModels(hang, 'http://x/v1', undefined, 50), { ok: false, error: { kind: 'timeout' } });
    assert.ok(Date.now() - started < 1_000);
    const refused: ListModels = async () => {
      throw new ModelSourceError({ kind: 'refused', detail: 'ECONNREFUSED' });
    };
    assert.deepEqual(await probeModels(refused, 'http://x/v1', undefined, 50), { ok: false, error: { kind: 'refused', detail: 'ECONNREFUSED' } });
  });

  test('detectLocalServers keeps only the servers that answer, with their models, over real HTTP', async () => {
    const server = await startTestModelServer();
    try {
      const list: ListModels = (baseUrl, apiKey, signal) => new OpenAiCompatibleSource({ baseUrl, apiKey, api: 'chat-completions' }).listModels(signal);
      const found = await detectLocalServers(list, [
        { name: 'Here', baseUrl: server.baseUrl },
        { name: 'Nobody', baseUrl: 'http://127.0.0.1:9/v1' },
      ]);
      assert.deepEqual(found, [{ name: 'Here', baseUrl: server.baseUrl, models: [...TEST_MODELS].sort() }]);
    } finally {
      await server.close();
    }
    assert.deepEqual(LOCAL_SERVERS.map((local) => local.baseUrl), ['http://127.0.0.1:11434/v1', 'http://127.0.0.1:1234/v1']);
  });
});
