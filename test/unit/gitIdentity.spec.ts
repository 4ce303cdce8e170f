import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { gitIdentity } from '../../src/core/workspace/gitIdentity.ts';
import { gitWorkspaceKey, mainRemote, normaliseRemoteUrl, parseGitConfigRemotes } from '../../src/core/workspace/gitRemote.ts';

describe('normaliseRemoteUrl: one repository, one name, whatever the URL form', () => {
  test('the ssh, scp-like, https and git forms of a GitHub repository are equal', () => {
    const forms = [
      'git@github.com:Acme/Widgets.git',
      'ssh://git@github.com/acme/widgets.git',
      'ssh://git@github.com:22/acme/widgets',
      'git+ssh://git@github.com/acme/widgets.git/',
      'https://github.com/acme/widgets',
      'https://github.com/acme/widgets.git',
      'https://octocat:ghp_secretToken123@github.com/Acme/Widgets.git',
      'http://www.github.com/acme/widgets/',
      'git://github.com/acme/widgets.git',
    ];
    for (const form of forms) assert.equal(normaliseRemoteUrl(form), 'github.com/acme/widgets', form);
  });

  test('no user name, password or token survives', () => {
    const key = normaliseRemoteUrl('https://alice:hunter2@gitlab.example.com:8443/team/app.git');
    assert.equal(key, 'gitlab.example.com/team/app');
    assert.doesNotMatch(key!, /alice|hunter2|8443/);
  });

  test('different repositories, owners or hosts stay different', () => {
    assert.notEqual(normaliseRemoteUrl('git@github.com:acme/widgets.git'), normaliseRemoteUrl('git@github.com:acme/gadgets.git'));
    assert.notEqual(normaliseRemoteUrl('git@github.com:acme/widgets.git'), normaliseRemoteUrl('git@gitlab.com:acme/widgets.git'));
    assert.notEqual(normaliseRemoteUrl('git@github.com:acme/widgets.git'), normaliseRemoteUrl('git@github.com:other/widgets.git'));
  });

  test('nested groups keep their path', () => {
    assert.equal(normaliseRemoteUrl('git@gitlab.com:group/sub/project.git'), 'gitlab.com/group/sub/project');
    assert.equal(normaliseRemoteUrl('https://gitlab.com/group/sub/project.git'), 'gitlab.com/group/sub/project');
  });

  test("Azure DevOps' ssh and https forms are equal", () => {
    const expected = 'dev.azure.com/org/project/repo';
    assert.equal(normaliseRemoteUrl('git@ssh.dev.azure.com:v3/org/project/repo'), expected);
    assert.equal(normaliseRemoteUrl('https://org@dev.azure.com/org/project/_git/repo'), expected);
    assert.equal(normaliseRemoteUrl('https://org.visualstudio.com/project/_git/repo'), expected);
  });

  test('a local path stays a (machine-local) path, case kept', () => {
    assert.equal(normaliseRemoteUrl('/srv/Git/app.git'), 'file:/srv/Git/app');
    assert.equal(normaliseRemoteUrl('file:///srv/Git/app.git'), 'file:/srv/Git/app');
    assert.equal(normaliseRemoteUrl('C:\\repos\\app.git'), 'file:C:/repos/app');
  });

  test('nothing usable gives undefined', () => {
    assert.equal(normaliseRemoteUrl(''), undefined);
    assert.equal(normaliseRemoteUrl('   '), undefined);
    assert.equal(normaliseRemoteUrl('https://github.com/'), undefined);
  });
});

describe('parseGitConfigRemotes', () => {
  test('reads remotes in order, quoted values, comments; ignores other sections', () => {
    const text = [
      '[core]',
      '\turl = not-a-remote',
      '[remote "upstream"]',
      '\turl = "https://github.com/upstream/app.git" ; the fork source',
      '\tfetch = +refs/heads/*:refs/remotes/upstream/*',
      '# [remote "ghost"]',
      '[remote "origin"]',
      '    URL = git@github.com:me/app.git # mine',
      '    url = https://mirror.example/app.git',
      '[branch "main"]',
      '\tremote = origin',
    ].join('\n');
    const remotes = parseGitConfigRemotes(text);
    assert.deepEqual(remotes, [
      { name: 'upstream', url: 'https://github.com/upstream/app.git' },
      { name: 'origin', url: 'git@github.com:me/app.git' },
    ]);
    assert.equal(mainRemote(remotes)?.name, 'origin');
    assert.equal(mainRemote([{ name: 'a', url: 'x' }, { name: 'b', url: 'y' }])?.name, 'a');
    assert.equal(mainRemote([]), undefined);
  });
});

describe('gitWorkspaceKey', () => {
  test('the top folder is the remote; a folder below adds its path', () => {
    assert.equal(gitWorkspaceKey('github.com/acme/widgets', ''), 'git:github.com/acme/widgets');
    assert.equal(gitWorkspaceKey('github.com/acme/widgets', 'packages/app/'), 'git:github.com/acme/widgets#packages/app');
    assert.equal(gitWorkspaceKey('github.com/acme/widgets', 'packages\\app'), 'git:github.com/acme/widgets#packages/app');
  });
});

describe('gitIdentity reads the repository from its files', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'git-identity-'));
  after(() => rmSync(scratch, { recursive: true, force: true }));

  const repo = (name: string, config: string): string => {
    const root = join(scratch, name);
    mkdirSync(join(root, '.git'), { recursive: true });
    mkdirSync(join(root, 'packages', 'app'), { recursive: true });
    writeFileSync(join(root, '.git', 'config'), config);
    return root;
  };

  test('two clones at different paths, one over ssh and one over https, get the same keys', () => {
    const laptop = repo('laptop/widgets', '[remote "origin"]\n\turl = git@github.com:acme/widgets.git\n');
    const desktop = repo('desktop/checkouts/widgets-copy', '[remote "origin"]\n\turl = https://me:token@github.com/acme/widgets\n');
    assert.equal(gitIdentity(laptop)?.key, 'git:github.com/acme/widgets');
    assert.equal(gitIdentity(desktop)?.key, 'git:github.com/acme/widgets');
    assert.equal(gitIdentity(join(laptop, 'packages', 'app'))?.key, 'git:github.com/acme/widgets#packages/app');
    assert.equal(gitIdentity(join(desktop, 'packages', 'app'))?.key, gitIdentity(join(laptop, 'packages', 'app'))?.key);
    assert.equal(gitIdentity(join(laptop, 'packages'))?.pathInRepo, 'packages');
  });

  test('a repository without a remote, or no repository, has no identity', () => {
    const local = repo('local-only', '[core]\n\tbare = false\n');
    assert.equal(gitIdentity(local), undefined);
    const plain = join(scratch, 'plain');
    mkdirSync(plain, { recursive: true });
    assert.equal(gitIdentity(plain), undefined);
  });

  test("a worktree's .git file leads to the main repository's config", () => {
    const main = repo('main-checkout', '[remote "origin"]\n\turl = https://github.com/acme/widgets.git\n');
    const gitDir = join(main, '.git', 'worktrees', 'feature');
    mkdirSync(gitDir, { recursive: true });
    writeFileSync(join(gitDir, 'commondir'), '../..\n');
    const worktree = join(scratch, 'feature-tree');
    mkdirSync(join(worktree, 'docs'), { recursive: true });
    writeFileSync(join(worktree, '.git'), `gitdir: ${gitDir}\n`);
    assert.equal(gitIdentity(join(worktree, 'docs'))?.key, 'git:github.com/acme/widgets#docs');
  });
});
