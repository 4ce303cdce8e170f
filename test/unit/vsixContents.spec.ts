// What the VSIX ships, checked on the real production build and the real `vsce ls`: nothing that nothing loads,
// and a light dist/extension.js (VS Code reads and compiles all of it on every activation).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

interface Loader {
  name: string;
  text: string;
}
interface VsixContents {
  vsixProblems(files: string[], options?: { target?: string }): string[];
  unloadedFiles(files: string[], loaders: Loader[]): string[];
  loadersOf(files: string[], root: string): Loader[];
  lightBundleMaxBytes: number;
}
const contents = async () => (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'lib', 'vsixContents.mjs')).href)) as VsixContents;

/** Builds the production bundles, then lists the VSIX as `vsce package` would pack it. */
function productionFileList(): string[] {
  const build = spawnSync(process.execPath, ['esbuild.mjs', '--production'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(build.status, 0, `production build: ${build.stderr}`);
  const vsce = path.join(repoRoot, 'node_modules', '@vscode', 'vsce', 'vsce');
  const listed = spawnSync(process.execPath, [vsce, 'ls', '--ignoreFile', '.vscodeignore'], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(listed.status, 0, `vsce ls: ${listed.stderr}`);
  return listed.stdout.split('\n').map((line) => line.trim()).filter(Boolean);
}

describe('the VSIX', () => {
  test('ships only files something loads, with a light dist/extension.js and the chat in dist/chat.js', async () => {
    const { vsixProblems, unloadedFiles, loadersOf, lightBundleMaxBytes } = await contents();
    const files = productionFileList();
    assert.deepEqual(vsixProblems(files), []);
    assert.deepEqual(unloadedFiles(files, loadersOf(files, repoRoot)), [], 'every shipped file under dist/ and media/ is loaded by something');
    for (const required of ['dist/extension.js', 'dist/chat.js', 'dist/switchWorker.js', 'dist/webview.js', 'dist/webview.css']) assert.ok(files.includes(required), `ships ${required}`);

    const light = statSync(path.join(repoRoot, 'dist', 'extension.js')).size;
    assert.ok(light <= lightBundleMaxBytes, `dist/extension.js is ${light} bytes, at most ${lightBundleMaxBytes}`);
    // The light bundle loads the chat by a path relative to itself (so it holds on every OS and install folder).
    assert.match(readFileSync(path.join(repoRoot, 'dist', 'extension.js'), 'utf8'), /\(["']\.\/chat\.js["']\)/);
  });

  test('a shipped file that nothing names is reported (media/chat.css is bundled into dist/webview.css, not loaded itself)', async () => {
    const { unloadedFiles } = await contents();
    const loaders = [
      { name: 'package.json', text: '{"main": "./dist/extension.js", "icon": "media/sessionChat.svg"}' },
      { name: 'dist/extension.js', text: 'require("./chat.js")' },
      { name: 'dist/chat.js', text: 'const icon = "sessionChatLight.svg";' },
    ];
    const files = ['package.json', 'dist/extension.js', 'dist/chat.js', 'media/sessionChat.svg', 'media/sessionChatLight.svg', 'media/chat.css', 'media/sessionChatDark.svg'];
    assert.deepEqual(unloadedFiles(files, loaders), ['media/chat.css', 'media/sessionChatDark.svg']);
    // A file does not load itself.
    assert.deepEqual(unloadedFiles(['dist/chat.js'], [{ name: 'dist/chat.js', text: 'chat.js' }]), ['dist/chat.js']);
  });
});
