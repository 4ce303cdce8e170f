// The extension host's own log (`<user-data-dir>/logs/<time>/exthost*/remoteexthost.log` in code-server,
// `exthost.log` in a desktop VS Code): where VS Code reports what an extension did wrong, e.g. reading the
// `navigator` global, which it logs as a PendingMigrationError with the reader's stack.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { logsDir } from './harnessEnv.ts';

const HOST_LOG = /^(remote)?exthost\.log$/;

function hostLogFiles(): string[] {
  const root = logsDir();
  if (!root) throw new Error('SESSION_CHAT_TEST_LOGS is not set: the harness must say where VS Code writes its logs');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => HOST_LOG.test(path.basename(file)))
    .map((file) => path.join(root, file));
}

/** Where the extension host logs end now. */
export function markHostLogs(): Map<string, number> {
  return new Map(hostLogFiles().map((file) => [file, readFileSync(file).length]));
}

/**
 * The entries the extension host logged since `mark` (an entry is a timestamped line with the lines after
 * it, such as a stack) that mention `needle`, e.g. the extension's install folder.
 */
export function hostLogEntriesSince(mark: Map<string, number>, needle: string): string[] {
  return hostLogFiles()
    .map((file) => readFileSync(file).subarray(mark.get(file) ?? 0).toString('utf8'))
    .flatMap((text) => text.split(/\n(?=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)/))
    .filter((entry) => entry.includes(needle));
}
