import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEFAULT_BLOCKED_FILES, type ToolPolicy } from '../../src/core/tools/pathRules.ts';
import { WorkspaceTools, type Problem } from '../../src/core/tools/workspaceTools.ts';

/** A scratch workspace with a sibling folder outside it, for the confinement rules. */
let base: string;
let root: string;
let second: string;
const signal = new AbortController().signal;

function write(path: string, text: string | Buffer): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

function policy(extra: Partial<ToolPolicy> = {}): ToolPolicy {
  return { folders: [{ name: 'app', root }], exclude: ['**/node_modules', '**/*.log'], blocked: DEFAULT_BLOCKED_FILES, maxFileBytes: 2000, ...extra };
}

/** The output a call gives once allowed, or its refusal. */
async function call(name: string, args: unknown, tools = new WorkspaceTools({ policy: policy(), problems: () => [] })): Promise<{ refused: boolean; output: string }> {
  const prepared = tools.prepare(name, typeof args === 'string' ? args : JSON.stringify(args));
  if (prepared.kind === 'refused') return { refused: true, output: prepared.output };
  return { refused: false, output: await prepared.run(signal) };
}

before(() => {
  base = mkdtempSync(join(tmpdir(), 'session-chat-tools-'));
  root = join(base, 'app');
  second = join(base, 'lib');
  write(join(base, 'secret-outside.txt'), 'outside the workspace');
  write(join(root, 'README.md'), '# Demo\nline two\nline three\n');
  write(join(root, 'src/index.ts'), 'export const answer = 42;\n// TODO: more\n');
  write(join(root, 'src/util/strings.ts'), 'export function shout(s: string) { return s.toUpperCase(); }\n');
  write(join(root, '.gitignore'), 'dist/\n*.tmp\n');
  write(join(root, 'dist/bundle.js'), 'built TODO');
  write(join(root, 'notes.tmp'), 'TODO scratch');
  write(join(root, 'node_modules/pkg/index.js'), 'TODO dependency');
  write(join(root, 'debug.log'), 'TODO log');
  write(join(root, 'big.txt'), 'x'.repeat(5000));
  write(join(root, 'image.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1]));
  for (const blocked of ['.env', '.env.local', 'server.pem', 'private.key', 'id_rsa', '.npmrc', '.git/config', 'src/.env.test']) write(join(root, blocked), 'TODO SECRET=1');
  symlinkSync(join(base, 'secret-outside.txt'), join(root, 'link-out.txt'));
  symlinkSync(base, join(root, 'parent-link'));
  symlinkSync(join(root, '.env'), join(root, 'innocent.txt'));
  symlinkSync(join(root, 'README.md'), join(root, 'readme-link.md'));
  write(join(second, 'lib.ts'), 'export const lib = true; // TODO\n');
});
after(() => rmSync(base, { recursive: true, force: true }));

describe('read_file', () => {
  test('reads a file with line numbers, whole or a range', async () => {
    assert.deepEqual(await call('read_file', { path: 'README.md' }), { refused: false, output: 'README.md (lines 1-4 of 4)\n1: # Demo\n2: line two\n3: line three\n4: ' });
    assert.equal((await call('read_file', { path: 'README.md', startLine: 2, endLine: 3 })).output, 'README.md (lines 2-3 of 4)\n2: line two\n3: line three');
    assert.equal((await call('read_file', { path: './src//index.ts', endLine: 1 })).output, 'src/index.ts (lines 1-1 of 3)\n1: export const answer = 42;');
    assert.match((await call('read_file', { path: 'README.md', startLine: 9 })).output, /has 4 lines; startLine 9 is past its end/);
    assert.equal((await call('read_file', { path: 'readme-link.md', endLine: 1 })).output, 'readme-link.md (lines 1-1 of 4)\n1: # Demo', 'a link inside the folder is fine');
  });

  test('an absolute path inside the workspace is accepted; missing files, folders, large and binary files are explained', async () => {
    assert.match((await call('read_file', { path: join(root, 'src/index.ts') })).output, /^src\/index\.ts \(lines 1-3 of 3\)/);
    assert.deepEqual(await call('read_file', { path: 'nope.md' }), { refused: false, output: 'There is no file nope.md in the workspace.' });
    assert.match((await call('read_file', { path: 'src' })).output, /src is a folder, not a file: use list_files/);
    assert.match((await call('read_file', { path: 'big.txt' })).output, /big\.txt is 5,000 bytes, over the tools' limit of 2,000 bytes/);
    assert.match((await call('read_file', { path: 'image.png' })).output, /image\.png is a binary file/);
  });

  test('never leaves the workspace: "..", absolute paths elsewhere, symbolic links out', async () => {
    for (const path of ['../secret-outside.txt', 'src/../../secret-outside.txt', '..\\secret-outside.txt']) {
      assert.match((await call('read_file', { path })).output, /contains "\.\.": paths must stay inside the workspace folders/, path);
    }
    assert.deepEqual(await call('read_file', { path: join(base, 'secret-outside.txt') }), { refused: true, output: `"${join(base, 'secret-outside.txt')}" is outside the workspace folders: give a path relative to a workspace folder.` });
    assert.deepEqual(await call('read_file', { path: '/etc/passwd' }), { refused: true, output: '"/etc/passwd" is outside the workspace folders: give a path relative to a workspace folder.' });
    assert.deepEqual(await call('read_file', { path: 'link-out.txt' }), { refused: true, output: 'link-out.txt leads outside the workspace folder (through a symbolic link).' });
    assert.deepEqual(await call('read_file', { path: 'parent-link/secret-outside.txt' }), { refused: true, output: 'parent-link/secret-outside.txt leads outside the workspace folder (through a symbolic link).' });
    assert.match((await call('read_file', { path: 'innocent.txt' })).output, /innocent\.txt \(a link to \.env\) is blocked by the setting sessionChat\.tools\.blockedFiles \(pattern "\.env\*"\)/);
  });

  test('each default blocked pattern refuses its file before anyone is asked', async () => {
    const expected: [string, string][] = [['.env', '.env*'], ['.env.local', '.env*'], ['src/.env.test', '.env*'], ['server.pem', '*.pem'], ['private.key', '*.key'], ['id_rsa', 'id_*'], ['.npmrc', '.npmrc'], ['.git/config', '.git/**'], ['.ENV', '.env*']];
    for (const [path, pattern] of expected) {
      const result = await call('read_file', { path });
      assert.equal(result.refused, true, path);
      assert.equal(result.output, `${path} is blocked by the setting sessionChat.tools.blockedFiles (pattern "${pattern}"): Session Chat never shows it to the model.`);
    }
    const custom = new WorkspaceTools({ policy: policy({ blocked: ['src/util/**'] }), problems: () => [] });
    assert.match((await call('read_file', { path: 'src/util/strings.ts' }, custom)).output, /blocked by the setting sessionChat\.tools\.blockedFiles \(pattern "src\/util\/\*\*"\)/);
    assert.equal((await call('read_file', { path: '.env' }, custom)).refused, false, 'the setting replaces the defaults');
  });

  test('files.exclude and .gitignore are respected', async () => {
    assert.equal((await call('read_file', { path: 'node_modules/pkg/index.js' })).output, 'node_modules/pkg/index.js is excluded by the setting files.exclude (pattern "**/node_modules").');
    assert.equal((await call('read_file', { path: 'debug.log' })).output, 'debug.log is excluded by the setting files.exclude (pattern "**/*.log").');
    assert.equal((await call('read_file', { path: 'dist/bundle.js' })).output, 'dist/bundle.js is ignored by .gitignore.');
    assert.equal((await call('read_file', { path: 'notes.tmp' })).output, 'notes.tmp is ignored by .gitignore.');
  });

  test('arguments wrong in every way get a sentence, never a crash', async () => {
    const cases: [string, RegExp][] = [
      ['{not json', /^Invalid arguments for read_file: they are not valid JSON\.$/],
      ['{}', /^Invalid arguments for read_file: path: Invalid input: expected string, received undefined\.$/],
      ['[]', /^Invalid arguments for read_file: Invalid input: expected object, received array\.$/],
      ['{"path":""}', /path: path is empty/],
      ['{"path":7}', /path: Invalid input: expected string, received number/],
      ['{"path":"a","startLine":0}', /startLine: Too small/],
      ['{"path":"a","startLine":1.5}', /startLine: Invalid input: expected int/],
      ['{"path":"a","startLine":5,"endLine":2}', /startLine is after endLine/],
      ['{"path":"a","mode":"w"}', /Unrecognized key: "mode"/],
      ['{"path":"a\\u0000b"}', /NUL character/],
    ];
    for (const [args, expected] of cases) {
      const result = await call('read_file', args);
      assert.equal(result.refused, true, args);
      assert.match(result.output, expected, args);
    }
    assert.deepEqual(await call('write_file', { path: 'a' }), { refused: true, output: 'There is no tool named "write_file". The tools are: read_file, list_files, search_text, get_problems.' });
    assert.match((await call('list_files', {})).output, /Invalid arguments for list_files: glob:/);
    assert.match((await call('search_text', { query: 'a', isRegex: 'yes' })).output, /isRegex: Invalid input: expected boolean/);
    assert.match((await call('search_text', { query: '(', isRegex: true })).output, /the regular expression does not compile/);
    assert.match((await call('get_problems', { path: 3 })).output, /Invalid arguments for get_problems: path:/);
  });

  test('with no folder open there is nothing to read', async () => {
    const none = new WorkspaceTools({ policy: policy({ folders: [] }), problems: () => [] });
    assert.match((await call('read_file', { path: 'README.md' }, none)).output, /No folder is open/);
  });
});

describe('list_files', () => {
  test('lists matching files, skipping blocked, excluded, ignored files and links', async () => {
    assert.deepEqual((await call('list_files', { glob: '**/*' })).output.split('\n'), ['.gitignore', 'big.txt', 'image.png', 'README.md', 'src/index.ts', 'src/util/strings.ts']);
    assert.equal((await call('list_files', { glob: '*.ts' })).output, 'src/index.ts\nsrc/util/strings.ts', 'a glob without a slash matches names anywhere');
    assert.equal((await call('list_files', { glob: 'src/*' })).output, 'src/index.ts');
    assert.equal((await call('list_files', { glob: '**/*.rs' })).output, 'No files match "**/*.rs".');
  });

  test('in a multi-root workspace paths carry the folder name, and a path may start with it', async () => {
    const multi = new WorkspaceTools({ policy: policy({ folders: [{ name: 'app', root }, { name: 'lib', root: second }] }), problems: () => [] });
    assert.equal((await call('list_files', { glob: '**/*.ts' }, multi)).output, 'app/src/index.ts\napp/src/util/strings.ts\nlib/lib.ts');
    assert.match((await call('read_file', { path: 'lib/lib.ts' }, multi)).output, /^lib\/lib\.ts \(lines 1-2 of 2\)\n1: export const lib = true;/);
    assert.match((await call('read_file', { path: 'lib.ts' }, multi)).output, /^lib\/lib\.ts/, 'else the folder that has it');
  });
});

describe('search_text', () => {
  test('finds text with line numbers like ripgrep, case-insensitive, only in visible files', async () => {
    assert.equal((await call('search_text', { query: 'todo' })).output, 'src/index.ts:2: // TODO: more');
    assert.equal((await call('search_text', { query: 'export\\s+function', isRegex: true })).output, 'src/util/strings.ts:1: export function shout(s: string) { return s.toUpperCase(); }');
    assert.equal((await call('search_text', { query: 'export', glob: 'src/*.ts' })).output, 'src/index.ts:1: export const answer = 42;');
    assert.equal((await call('search_text', { query: 'SECRET' })).output, 'No matches for "SECRET".', 'blocked files are never searched');
  });
});

describe('get_problems', () => {
  test('reports diagnostics of one file or all, and none of hidden files', async () => {
    const problems: Problem[] = [
      { file: join(root, 'src/index.ts'), line: 2, column: 4, severity: 'warning', message: 'Unused comment', source: 'ts' },
      { file: join(root, 'README.md'), line: 1, column: 1, severity: 'error', message: 'Heading' },
      { file: join(root, '.env'), line: 1, column: 1, severity: 'error', message: 'SECRET=1 is wrong' },
      { file: join(base, 'secret-outside.txt'), line: 1, column: 1, severity: 'error', message: 'outside' },
    ];
    const asked: (string | undefined)[] = [];
    const tools = new WorkspaceTools({ policy: policy(), problems: (file) => { asked.push(file); return file ? problems.filter((p) => p.file === file) : problems; } });
    assert.equal((await call('get_problems', {}, tools)).output, 'src/index.ts:2:4: warning: Unused comment (ts)\nREADME.md:1:1: error: Heading');
    assert.equal((await call('get_problems', { path: 'src/index.ts' }, tools)).output, 'src/index.ts:2:4: warning: Unused comment (ts)');
    assert.equal((await call('get_problems', { path: 'big.txt' }, tools)).output, 'No problems reported for big.txt.');
    assert.equal((await call('get_problems', { path: '.env' }, tools)).refused, true);
    assert.deepEqual(asked, [undefined, join(root, 'src/index.ts'), join(root, 'big.txt')]);
  });
});
