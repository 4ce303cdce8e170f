import * as vscode from 'vscode';
import { DEFAULT_ATTACHMENT_MAX_CHARS } from '../../core/context/attachments.ts';
import { DEFAULT_BLOCKED_FILES } from '../../core/tools/pathRules.ts';
import { DEFAULT_MAX_TOOL_ROUNDS } from '../../core/tools/turnTools.ts';

/** The `sessionChat.tools.*` and `sessionChat.attachments.*` settings as plain values. */
export interface ContextSettings {
  toolsEnabled: boolean;
  blockedFiles: string[];
  maxToolRounds: number;
  attachmentMaxChars: number;
}

function whole(value: unknown, min: number, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min ? Math.floor(value) : fallback;
}

/** Read at send time, so a change applies to the next message. */
export function readContextSettings(): ContextSettings {
  const config = vscode.workspace.getConfiguration('sessionChat');
  const blocked = config.get<unknown>('tools.blockedFiles');
  return {
    toolsEnabled: config.get<boolean>('tools.enabled', true) !== false,
    blockedFiles: Array.isArray(blocked) ? blocked.filter((entry): entry is string => typeof entry === 'string') : DEFAULT_BLOCKED_FILES,
    maxToolRounds: whole(config.get('tools.maxRounds'), 1, DEFAULT_MAX_TOOL_ROUNDS),
    attachmentMaxChars: whole(config.get('attachments.maxCharacters'), 100, DEFAULT_ATTACHMENT_MAX_CHARS),
  };
}

/** The `files.exclude` patterns that are switched on (a `when` clause counts as on: hiding too much is the safe side). */
export function filesExclude(): string[] {
  const exclude = vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude') ?? {};
  return Object.entries(exclude).filter(([, value]) => value === true || (typeof value === 'object' && value !== null)).map(([pattern]) => pattern);
}
