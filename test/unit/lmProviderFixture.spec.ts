// The test-only Language Model API provider (test/fixtures/lm-provider) loads as an unpacked extension
// in test runs and must never reach the VSIX.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const fixture = path.join(repoRoot, 'test', 'fixtures', 'lm-provider');

describe('the test Language Model provider', () => {
  test('is refused by the VSIX check and by .vscodeignore', async () => {
    const { vsixProblems } = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'lib', 'vsixContents.mjs')).href)) as { vsixProblems(files: string[]): string[] };
    const problems = vsixProblems(['test/fixtures/lm-provider/package.json', 'test/fixtures/lm-provider/extension.js']);
    assert.ok(problems.includes('ships test/fixtures/lm-provider/extension.js'), problems.join('; '));
    // The whitelist lets through no path under test/.
    const allowed = readFileSync(path.join(repoRoot, '.vscodeignore'), 'utf8').split('\n').filter((line) => line.startsWith('!'));
    assert.ok(allowed.every((line) => !line.startsWith('!test')), allowed.join(', '));
  });

  test('registers the vendor its manifest contributes, and is not Session Chat itself', () => {
    const manifest = JSON.parse(readFileSync(path.join(fixture, 'package.json'), 'utf8')) as { publisher: string; name: string; main: string; contributes: { languageModelChatProviders: { vendor: string }[] } };
    const vendors = manifest.contributes.languageModelChatProviders.map((entry) => entry.vendor);
    const source = readFileSync(path.join(fixture, manifest.main), 'utf8');
    assert.deepEqual(vendors, ['session-chat-test']);
    assert.match(source, /registerLanguageModelChatProvider\('session-chat-test', provider\)/);
    assert.notEqual(`${manifest.publisher}.${manifest.name}`, 'session-chat.session-chat');
  });
});
