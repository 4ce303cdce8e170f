// The files Session Chat's LogOutputChannel writes in this VS Code
// (`<user-data-dir>/logs/<time>/…/exthost*/session-chat.session-chat/Session Chat.log`): a test reads them to
// prove something was, or was never, logged.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { extensionId } from './extension.ts';
import { logsDir } from './harnessEnv.ts';

/** The name VS Code gives the log file of the output channel `Session Chat`. */
const LOG_FILE = 'Session Chat.log';

/** Every Session Chat log file under the logs folder (one per extension host that ran it). */
export function sessionChatLogFiles(): string[] {
  const root = logsDir();
  if (!root) throw new Error('SESSION_CHAT_TEST_LOGS is not set: the harness must say where VS Code writes its logs');
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((file) => path.basename(file) === LOG_FILE && path.basename(path.dirname(file)) === extensionId)
    .map((file) => path.join(root, file));
}

/** A mark in the logs: how long each log file is now. */
export type LogMark = Map<string, number>;

/** Marks where the logs end now, so {@link logWrittenSince} returns only what comes after. */
export function markLogs(): LogMark {
  return new Map(sessionChatLogFiles().map((file) => [file, readFileSync(file).length]));
}

/** Everything the Session Chat logs received since `mark` (a new file counts from its start). */
export function logWrittenSince(mark: LogMark): string {
  return sessionChatLogFiles()
    .map((file) => readFileSync(file).subarray(mark.get(file) ?? 0).toString('utf8'))
    .join('');
}

/** The whole text of every Session Chat log file. */
export function allLogs(): string {
  return sessionChatLogFiles().map((file) => readFileSync(file, 'utf8')).join('\n');
}
