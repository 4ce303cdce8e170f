// `npm start -- --demo` opens a scratch demo folder, in the desktop VS Code and in code-server alike.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

interface DemoWorkspace {
  startFolder(options: { folder?: string; demoBaseUrl?: string; scratchRoot: string; fallback?: string }): string | undefined;
}
const demo = async () => (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'lib', 'demoWorkspace.mjs')).href)) as DemoWorkspace;

describe('npm start -- --demo', () => {
  test('opens a scratch folder with a README and settings pointing at the demo server', async () => {
    const { startFolder } = await demo();
    const scratchRoot = mkdtempSync(path.join(tmpdir(), 'start-demo-'));
    try {
      const folder = startFolder({ demoBaseUrl: 'http://127.0.0.1:4321/v1', scratchRoot, fallback: repoRoot });
      assert.equal(folder, path.join(scratchRoot, 'demo-workspace'));
      assert.match(readFileSync(path.join(folder, 'README.md'), 'utf8'), /Session Chat: Open Chat[\s\S]*http:\/\/127\.0\.0\.1:4321\/v1|http:\/\/127\.0\.0\.1:4321\/v1[\s\S]*Session Chat: Open Chat/);
      const settings = JSON.parse(readFileSync(path.join(folder, '.vscode', 'settings.json'), 'utf8')) as Record<string, string>;
      assert.equal(settings['sessionChat.baseUrl'], 'http://127.0.0.1:4321/v1');
      // --folder wins; without a demo, code-server opens the fallback (this repository) and desktop `code` none.
      assert.equal(startFolder({ folder: 'some/where', demoBaseUrl: 'http://x/v1', scratchRoot }), path.resolve('some/where'));
      assert.equal(startFolder({ scratchRoot, fallback: repoRoot }), repoRoot);
      assert.equal(startFolder({ scratchRoot }), undefined);
    } finally {
      rmSync(scratchRoot, { recursive: true, force: true });
    }
  });

  test('both modes of scripts/start.mjs (desktop `code` and code-server) choose their folder the same way', () => {
    const start = readFileSync(path.join(repoRoot, 'scripts', 'start.mjs'), 'utf8');
    const desktop = start.slice(start.indexOf('async function startDesktop'), start.indexOf('function watchHealth'));
    const codeServer = start.slice(start.indexOf('async function startInCodeServer'));
    for (const [mode, body] of [['desktop', desktop], ['code-server', codeServer]] as const) {
      assert.match(body, /startFolder\(\{ folder: options\.folder, demoBaseUrl: model\?\.baseUrl/, `${mode} mode opens the demo folder in a demo`);
    }
  });
});
