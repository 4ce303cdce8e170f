// End-to-end: two machines on one PostgreSQL. Two code-servers (two user-data folders) open two clones
// of one git repository (one cloned over ssh, one over https, at different paths), both connect to the
// same PostgreSQL through "Session Chat: Connect to PostgreSQL...", and follow each other without a
// reload. Then the server goes away and comes back; finally, the connection string is looked for
// everywhere except secret storage. Run: node --test test/e2e/postgres.e2e.ts
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import pg from 'pg';
import { startPostgres, type PostgresServer } from '../unit/helpers/postgresServer.ts';
import { chatFrame, messageBox, openChatSettled, sendAndWaitForAnswer, typeAndSend, userTexts, waitForSnapshot } from './support/chatPanel.ts';
import { hasRowContaining, openSessionsDb, sessionsDbPath } from './support/database.ts';
import type { Browser, CodeServer, TestServer } from './support/harness.ts';
import { loadHarness } from './support/harness.ts';
import { startPgProxy, type PgProxy } from './support/pgProxy.ts';
import { pollUntil } from './support/poll.ts';
import { openWorkbench, pickRow, quickInputBox, quickPickRows, runCommand } from './support/workbench.ts';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
/** A password nobody would write anywhere else: if it shows up outside secret storage, it leaked. */
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}-Leak`;
const FOLLOW_MS = 15_000;

interface Machine {
  name: string;
  codeServer: CodeServer;
  page: Page;
  folder: string;
}

function git(cwd: string, ...args: string[]): void {
  execFileSync('git', args, { cwd, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 'e2e', GIT_AUTHOR_EMAIL: 'e2e@example.invalid', GIT_COMMITTER_NAME: 'e2e', GIT_COMMITTER_EMAIL: 'e2e@example.invalid' } });
}

/** One repository, cloned twice at different paths; one clone's remote is the ssh form, the other's the https form. */
function twoClones(scratch: string): [string, string] {
  const upstream = path.join(scratch, 'upstream');
  mkdirSync(upstream, { recursive: true });
  git(upstream, 'init', '-q', '-b', 'main');
  writeFileSync(path.join(upstream, 'README.md'), '# project\n');
  git(upstream, 'add', 'README.md');
  git(upstream, 'commit', '-q', '-m', 'first');
  const laptop = path.join(scratch, 'laptop', 'project');
  const desktop = path.join(scratch, 'desktop', 'work', 'project-clone');
  for (const [clone, remote] of [[laptop, 'git@git.example.com:team/project.git'], [desktop, 'https://git.example.com/team/project']] as const) {
    mkdirSync(path.dirname(clone), { recursive: true });
    git(scratch, 'clone', '-q', upstream, clone);
    git(clone, 'remote', 'set-url', 'origin', remote);
  }
  return [laptop, desktop];
}

/** What the storage status bar item says (its accessible label: "Session Chat storage: PostgreSQL"). */
async function storageStatus(page: Page): Promise<string> {
  const item = page.locator('[aria-label^="Session Chat storage:"]').first();
  if (!(await item.isVisible().catch(() => false))) return '';
  return ((await item.getAttribute('aria-label')) ?? '').replace('Session Chat storage: ', '');
}

async function waitForStatus(page: Page, status: string, timeoutMs = 60_000): Promise<void> {
  await pollUntil(async () => (await storageStatus(page)) === status, { message: `the status bar to say "${status}"`, timeoutMs });
}

async function connect(machine: Machine, connectionString: string): Promise<void> {
  await machine.page.bringToFront();
  await runCommand(machine.page, 'Session Chat: Connect to PostgreSQL...', { opensPicker: true });
  const input = quickInputBox(machine.page);
  assert.equal(await input.getAttribute('type'), 'password', 'the connection string is typed in a masked box');
  await input.fill(connectionString);
  await machine.page.keyboard.press('Enter');
  await waitForStatus(machine.page, 'PostgreSQL');
}

/** Every file under `dir` (no symlinks followed), for the leak search. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(full));
    else if (entry.isFile() && statSync(full).size < 50_000_000) found.push(full);
  }
  return found;
}

describe('Session Chat on PostgreSQL: two machines, one database', { timeout: 30 * 60_000 }, () => {
  let postgres: PostgresServer | undefined;
  let proxy: PgProxy | undefined;
  let model: TestServer | undefined;
  const browsers: Browser[] = [];
  const servers: CodeServer[] = [];
  const machines: Machine[] = [];
  const scratch = path.join(repoRoot, '.vscode-test', `e2e-pg-${process.pid}`);
  let connectionString = '';
  let databaseUrl = '';

  before(async () => {
    const harness = await loadHarness();
    await Promise.all([harness.ensureCodeServer(), harness.ensureChromium()]);
    const vsix = process.env.SESSION_CHAT_VSIX && existsSync(process.env.SESSION_CHAT_VSIX) ? process.env.SESSION_CHAT_VSIX : await harness.packageVsix();
    postgres = await startPostgres();
    databaseUrl = await postgres.createDatabase();
    proxy = await startPgProxy(postgres.port);
    // The trust-authenticated test server ignores the password; it is there to be looked for.
    connectionString = databaseUrl.replace('postgresql://postgres@', `postgresql://postgres:${PASSWORD}@`).replace(`:${postgres.port}/`, `:${proxy.port}/`) + '?sslmode=disable';
    model = await harness.startTestServerProcess();
    const [laptop, desktop] = twoClones(scratch);
    for (const [name, folder] of [['laptop', laptop], ['desktop', desktop]] as const) {
      const codeServer = await harness.startCodeServer({ folder, vsix, userSettings: { 'sessionChat.baseUrl': model.baseUrl, 'sessionChat.model': 'e2e-model' } });
      servers.push(codeServer);
      // A browser of its own per machine: its own profile, and a front page nobody throttles.
      const browser = await harness.launchBrowser();
      browsers.push(browser);
      const page = browser.page;
      await openWorkbench(page, `${new URL(codeServer.url).origin}/?folder=${encodeURIComponent(folder)}`);
      machines.push({ name, codeServer, page, folder });
    }
  }, { timeout: 15 * 60_000 });

  after(async () => {
    // The last view of both windows, for a failure's post-mortem (.artifacts/ is git-ignored).
    for (const machine of machines) await machine.page.screenshot({ path: path.join(repoRoot, '.artifacts', `e2e-pg-${machine.name}.png`) }).catch(() => {});
    for (const browser of browsers) await browser.close().catch(() => {});
    for (const server of servers) await server.stop().catch(() => {});
    await model?.stop().catch(() => {});
    await proxy?.close().catch(() => {});
    await postgres?.stop().catch(() => {});
    rmSync(scratch, { recursive: true, force: true });
  });

  test('both connect; a thread started on the laptop shows in the desktop\'s Switch Thread list, and its turns reach the desktop\'s open panel without a reload', { timeout: 12 * 60_000 }, async () => {
    const [laptop, desktop] = machines as [Machine, Machine];
    // The laptop chatted locally before PostgreSQL. (The first Open Chat of a freshly started server on a busy
    // machine may come before the extension host has scanned the extension: a second try settles it.)
    await openChatSettled(laptop.page).catch(async () => {
      await runCommand(laptop.page, 'View: Close All Editors');
      await openChatSettled(laptop.page);
    });
    await waitForStatus(laptop.page, 'Local');
    await sendAndWaitForAnswer(laptop.page, 'a question asked before PostgreSQL');

    await connect(laptop, connectionString);
    // Connected: a fresh, empty thread on PostgreSQL (the local one stays local until copied).
    await waitForSnapshot(laptop.page);
    assert.deepEqual(await userTexts(laptop.page), []);
    await runCommand(laptop.page, 'Session Chat: Copy Local History to PostgreSQL');
    await laptop.page.locator('.notification-toast', { hasText: 'local history copied' }).waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await laptop.page.locator('.notification-toast', { hasText: 'local history copied' }).innerText(), /1 new/);

    await openChatSettled(desktop.page);
    await connect(desktop, connectionString);

    // A thread started on the laptop…
    await laptop.page.bringToFront();
    await runCommand(laptop.page, 'Session Chat: New Thread');
    await waitForSnapshot(laptop.page);
    await sendAndWaitForAnswer(laptop.page, 'Which parser do we use for the config files?');

    // …is in the desktop's Switch Thread list (the same repository, though another path and another remote URL form),
    // with the thread copied from the laptop's local history.
    await desktop.page.bringToFront();
    await runCommand(desktop.page, 'Session Chat: Switch Thread', { opensPicker: true });
    const labels = await pollUntil(
      async () => {
        const rows = await quickPickRows(desktop.page).allInnerTexts();
        return rows.some((row) => row.includes('Which parser do we use')) && rows.some((row) => row.includes('a question asked before PostgreSQL')) ? rows : undefined;
      },
      { message: "the laptop's threads in the desktop's Switch Thread list", timeoutMs: FOLLOW_MS },
    );
    console.log(`[e2e-pg] desktop Switch Thread rows: ${labels.map((row) => row.split('\n')[0]).join(' | ')}`);
    assert.ok(await pickRow(desktop.page, 'Which parser do we use'), 'the thread can be picked');
    await pollUntil(async () => (await userTexts(desktop.page)).includes('Which parser do we use for the config files?'), { message: 'the thread in the desktop panel', timeoutMs: FOLLOW_MS });

    // A turn sent on the laptop shows in the desktop's open panel by itself.
    await laptop.page.bringToFront();
    const sentAt = Date.now();
    await typeAndSend(laptop.page, 'And for the lock file?');
    await pollUntil(async () => (await userTexts(desktop.page)).includes('And for the lock file?'), { message: "the laptop's new turn in the desktop's open panel", timeoutMs: FOLLOW_MS });
    console.log(`[e2e-pg] the laptop's turn reached the desktop's panel ${Date.now() - sentAt} ms after Send`);
    await pollUntil(async () => /Echo: And for the lock file\?/.test(await chatFrame(desktop.page).getByRole('log').innerText()), { message: "the laptop's answer in the desktop's panel", timeoutMs: 60_000 });
  });

  test('the server goes away: a clear message with Retry, the typed message stays in the box, nothing goes to the local store; it reconnects', { timeout: 6 * 60_000 }, async () => {
    const [laptop] = machines as [Machine, Machine];
    await laptop.page.bringToFront();
    const localDb = existsSync(sessionsDbPath(laptop.codeServer)) ? openSessionsDb(laptop.codeServer) : undefined;
    await proxy!.down();
    const text = 'a message while the database is away';
    await typeAndSend(laptop.page, text);
    const alert = chatFrame(laptop.page).getByRole('alert');
    await alert.waitFor({ state: 'visible', timeout: 60_000 });
    assert.match(await alert.innerText(), /PostgreSQL at 127\.0\.0\.1:\d+\/t_\w+ cannot be reached \(connection refused\)\. Your message was not sent; it is back in the message box\./);
    assert.equal(await messageBox(laptop.page).inputValue(), text, 'the typed message is back in the box');
    await waitForStatus(laptop.page, 'PostgreSQL: unreachable');
    if (localDb) assert.equal(hasRowContaining(localDb, text), false, 'nothing was written to the local store');
    localDb?.close();

    await proxy!.up();
    // Retry in the panel (the backoff would get there too): the status bar says PostgreSQL again, and Send works.
    await alert.getByRole('button', { name: 'Retry' }).click();
    await waitForStatus(laptop.page, 'PostgreSQL');
    // Enter in the box (the Send button may sit under the outage's notification toast).
    await messageBox(laptop.page).press('Enter');
    await pollUntil(async () => /Echo: a message while the database is away/.test(await chatFrame(laptop.page).getByRole('log').innerText()), { message: 'the message sent after the server came back', timeoutMs: 60_000 });
  });

  test('the connection string is nowhere but secret storage: settings, logs, the store, the sessions folder, messages', { timeout: 5 * 60_000 }, async () => {
    const [laptop] = machines as [Machine, Machine];
    // A refused connection's error message must not carry the string either.
    await laptop.page.bringToFront();
    const wrong = connectionString.replace(`:${proxy!.port}/`, ':1/');
    await runCommand(laptop.page, 'Session Chat: Connect to PostgreSQL...', { opensPicker: true });
    await quickInputBox(laptop.page).fill(wrong);
    await laptop.page.keyboard.press('Enter');
    const toast = laptop.page.locator('.notification-toast', { hasText: 'could not use PostgreSQL' });
    await toast.waitFor({ state: 'visible', timeout: 60_000 });
    const shown = await toast.innerText();
    assert.match(shown, /could not use PostgreSQL at 127\.0\.0\.1:1\/t_\w+: connection refused/);
    const statusTexts = (await laptop.page.locator('.statusbar-item').evaluateAll((items) => items.map((item) => `${item.textContent} ${item.getAttribute('aria-label')}`))).join('\n');
    const bodyText = await laptop.page.locator('body').innerText();

    const password = PASSWORD;
    const leaks: string[] = [];
    for (const [label, text] of [['error message', shown], ['status bar', statusTexts], ['workbench', bodyText]] as const) if (text.includes(password)) leaks.push(label);
    for (const machine of machines) {
      const user = path.join(machine.codeServer.userDataDir, 'User');
      const places = [
        path.join(user, 'settings.json'),
        ...filesUnder(path.join(machine.codeServer.userDataDir, 'logs')),
        ...filesUnder(path.join(user, 'globalStorage', 'session-chat.session-chat')),
        ...filesUnder(path.join(user, 'workspaceStorage')),
        machine.codeServer.logFile,
      ];
      assert.ok(places.length > 3, 'there are files to look in');
      // A machine-scoped setting lands in the remote machine's settings under code-server, in the user's on a desktop.
      const settingFiles = [path.join(user, 'settings.json'), path.join(machine.codeServer.userDataDir, 'Machine', 'settings.json')].filter((file) => existsSync(file));
      places.push(...settingFiles);
      const storage = settingFiles.map((file) => (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)['sessionChat.storage']);
      assert.ok(storage.includes('postgres'), `${machine.name}: the setting says postgres (${settingFiles.join(', ')})`);
      for (const file of places) {
        if (!existsSync(file)) continue;
        const content = readFileSync(file);
        if (content.includes(password) || content.includes(connectionString)) leaks.push(file);
      }
      const logs = filesUnder(path.join(machine.codeServer.userDataDir, 'logs')).filter((file) => file.includes('session-chat'));
      assert.ok(logs.some((file) => /Database: PostgreSQL at 127\.0\.0\.1:\d+\/t_/.test(readFileSync(file, 'utf8'))), `${machine.name}: the log names the store, without credentials`);
    }
    // The database itself: no table holds it.
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const tables = await client.query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'");
      for (const { table_name } of tables.rows) {
        const found = await client.query(`SELECT count(*)::int AS n FROM ${pg.escapeIdentifier(table_name)} AS t WHERE t::text LIKE $1`, [`%${password}%`]);
        if ((found.rows[0] as { n: number }).n > 0) leaks.push(`table ${table_name}`);
      }
    } finally {
      await client.end();
    }
    assert.deepEqual(leaks, [], 'the connection string leaked');
  });
});
