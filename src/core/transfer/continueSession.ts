import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { asObject, stringField, type LooseItem } from '../items/itemFields.ts';
import { ItemsBuilder, argsText, note, titleFrom } from './foreignItems.ts';
import { skipped, type ImportEvent } from './importEvent.ts';
import { workspaceUri } from './workspaceUri.ts';

/**
 * Continue's chat sessions, one file each: `~/.continue/sessions/<sessionId>.json`, listed in
 * `~/.continue/sessions/sessions.json`. Followed: continuedev/continue `core/index.d.ts`
 * (commit 275e116d9c2f028f3c812d2b5b935f7be9ac27df: `Session` {sessionId, title,
 * workspaceDirectory, history: ChatHistoryItem[]}; ChatHistoryItem {message, contextItems,
 * toolCallStates?}; ChatMessage by role: user/assistant (content: string or text/imageUrl parts,
 * assistant `toolCalls`), tool {content, toolCallId}, thinking, system) and `core/util/history.ts`
 * (commit 0808cf63d9efbbaaf84b1fac1a1f819db632bcbf: the list file's `dateCreated` is
 * `String(Date.now())`). A session file holds no times: the list's dateCreated and the file's
 * modification time stand in.
 */
export function isContinueSession(document: LooseItem): boolean {
  return typeof document.sessionId === 'string' && Array.isArray(document.history) && !Array.isArray(document.requests);
}

export async function readContinueSession(document: unknown, path: string): Promise<ImportEvent[]> {
  const session = asObject(document)!;
  const sessionId = session.sessionId as string;
  const history = (session.history as unknown[]).map(asObject).filter((entry) => entry !== undefined);
  const builder = new ItemsBuilder();
  let firstQuestion = '';
  /** Outputs Continue kept on the call's own history item, used when no tool message follows. */
  const pending = new Map<string, string>();
  const flushPending = (): void => {
    for (const [id, output] of pending) builder.toolOutput(id, output);
    pending.clear();
  };
  for (const entry of history) {
    const message = asObject(entry.message);
    if (!message) continue;
    if (message.role === 'user') {
      flushPending();
      const text = [contentWithNotes(message.content), contextNote(entry.contextItems)].filter((part) => part !== '').join('\n\n');
      if (firstQuestion === '') firstQuestion = text;
      builder.user(text);
    } else if (message.role === 'assistant') {
      builder.assistant(contentWithNotes(message.content));
      for (const call of Array.isArray(message.toolCalls) ? message.toolCalls : []) {
        const object = asObject(call);
        const fn = asObject(object?.function);
        if (!object || !fn) continue;
        builder.toolCall(stringField(object, 'id'), stringField(fn, 'name') ?? 'tool', argsText(fn.arguments));
      }
      for (const state of toolStates(entry)) {
        const output = Array.isArray(state.output) ? state.output.map((item: unknown) => stringField(asObject(item) ?? {}, 'content') ?? '').join('\n') : '';
        const id = stringField(state, 'toolCallId');
        if (id !== undefined && output !== '') pending.set(id, output);
      }
    } else if (message.role === 'tool') {
      const id = stringField(message, 'toolCallId');
      if (id !== undefined) pending.delete(id);
      builder.toolOutput(id, contentWithNotes(message.content));
    }
  }
  flushPending();
  const items = builder.finish();
  if (items.length === 0) return [skipped(path, `Continue session "${sessionId}" has no messages.`)];
  const modified = Math.round((await stat(path)).mtimeMs);
  const created = await dateCreated(path, sessionId);
  const title = stringField(session, 'title');
  const record = {
    id: `continue-${sessionId}`,
    title: title && title !== 'New Session' ? title : titleFrom(firstQuestion, 'Continue session'),
    workspaceKey: workspaceUri(stringField(session, 'workspaceDirectory') ?? ''),
    createdAt: created ?? modified,
    updatedAt: Math.max(modified, created ?? 0),
    pinned: false,
    items,
  };
  return [{ kind: 'thread', record, format: 'continue', source: path }];
}

/** Continue's tool states: `toolCallStates` now, a single `toolCallState` in older sessions. */
function toolStates(entry: LooseItem): LooseItem[] {
  const states = Array.isArray(entry.toolCallStates) ? entry.toolCallStates : entry.toolCallState ? [entry.toolCallState] : [];
  return states.map(asObject).filter((state) => state !== undefined);
}

/** Message content as text, images noted. */
function contentWithNotes(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) => {
      const object = asObject(part);
      if (object?.type === 'text') return stringField(object, 'text') ?? '';
      if (object?.type === 'imageUrl') return note('Image');
      return '';
    })
    .filter((text) => text !== '')
    .join('\n');
}

/** The files and snippets the user attached, named (their contents are not carried over). */
function contextNote(contextItems: unknown): string {
  if (!Array.isArray(contextItems) || contextItems.length === 0) return '';
  const names = contextItems.map((item: unknown) => stringField(asObject(item) ?? {}, 'name')).filter((name) => name !== undefined && name !== '');
  return names.length === 0 ? '' : note(`Context (${names.join(', ')})`);
}

/** The session's creation time from the list beside it (`sessions.json`), if it is there. */
async function dateCreated(path: string, sessionId: string): Promise<number | undefined> {
  try {
    const list = JSON.parse(await readFile(join(dirname(path), 'sessions.json'), 'utf8')) as unknown;
    if (!Array.isArray(list)) return undefined;
    const info = list.map(asObject).find((entry) => entry?.sessionId === sessionId);
    const value = Number(info?.dateCreated);
    return Number.isFinite(value) && value > 0 ? value : undefined;
  } catch {
    return undefined;
  }
}
