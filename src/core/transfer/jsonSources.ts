import { asObject } from '../items/itemFields.ts';
import { isTaskCompanion, isTaskHistory, readTaskHistory } from './clineTask.ts';
import { isContinueSession, readContinueSession } from './continueSession.ts';
import type { ImportEvent } from './importEvent.ts';
import { isVsCodeChat, readVsCodeChatJson } from './vscodeChat.ts';

/** A JSON format read whole: how to turn a parsed document into events. */
export interface JsonSource {
  read(document: unknown, path: string): Promise<ImportEvent[]>;
}

/**
 * Which format a parsed JSON document is in, by its shape (never by its file name):
 * - VS Code chat session: an object with `sessionId` and a `requests` list;
 * - Continue session: an object with `sessionId` and a `history` list;
 * - Cline / Roo Code task history: a list of `{role, content}` messages (or Roo's `{version: 2, messages}`).
 * `companion` marks files that belong beside one of these and are read with it (Cline/Roo
 * `ui_messages.json`, `task_metadata.json`, `history_item.json`, Continue's `sessions.json`,
 * VS Code's `workspace.json`): a folder walk passes them over silently.
 */
export function recogniseJson(document: unknown): JsonSource | 'companion' | undefined {
  const object = asObject(document);
  if (object && isVsCodeChat(object)) return { read: readVsCodeChatJson };
  if (object && isContinueSession(object)) return { read: readContinueSession };
  if (isTaskHistory(document)) return { read: readTaskHistory };
  if (isTaskCompanion(document) || isContinueList(document) || isWorkspaceFile(object)) return 'companion';
  return undefined;
}

function isContinueList(document: unknown): boolean {
  return Array.isArray(document) && document.length > 0 && typeof asObject(document[0])?.sessionId === 'string' && typeof asObject(document[0])?.dateCreated === 'string';
}

function isWorkspaceFile(object: ReturnType<typeof asObject>): boolean {
  return object !== undefined && Object.keys(object).length === 1 && (typeof object.folder === 'string' || typeof object.workspace === 'string');
}
