import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { asObject, stringField, type LooseItem } from '../items/itemFields.ts';
import { ItemsBuilder, argsText, note, titleFrom } from './foreignItems.ts';
import { DEFAULT_MAX_FILE_BYTES, skipped, type ImportEvent } from './importEvent.ts';
import { applyMutationLog } from './vscodeLog.ts';

/**
 * VS Code's own chat sessions (Copilot Chat's history), as VS Code stores them per workspace in
 * `workspaceStorage/<hash>/chatSessions/<sessionId>.json` (older) or `.jsonl` (newer), and for
 * empty windows in `globalStorage/emptyWindowChatSessions/`.
 * Followed: microsoft/vscode `src/vs/workbench/contrib/chat/common/chatSessionStore.ts`
 * (commit 0392c00f89c71301610dd176ee0571cdc43562a9: a session is `JSON.stringify(ISerializableChatData)`),
 * `common/model/chatModel.ts` (ISerializableChatData 1-3: sessionId, creationDate, lastMessageDate,
 * customTitle/computedTitle, requests[] with message {text, parts}, variableData, response parts,
 * timestamp, modelState), `common/model/chatSessionOperationLog.ts` (commit
 * 03d43368c3ce601d54d8eceb01b11cf9758b9e4a: what the log stores; a markdown response part is
 * stored as its IMarkdownString `{value}`, other parts with their `kind`) and
 * `common/model/objectMutationLog.ts` (commit 047238f9fe1b7661362b3f27cfbddd503339cb1b: the
 * `.jsonl` entry kinds, see vscodeLog.ts).
 */

/** A `.json` session file's content as a thread, or a skipped event. */
export function readVsCodeChatJson(document: unknown, path: string): Promise<ImportEvent[]> {
  return sessionEvents(asObject(document)!, path);
}

/** True when a JSON document has the shape of a serialized VS Code chat session. */
export function isVsCodeChat(document: LooseItem): boolean {
  return Array.isArray(document.requests) && typeof document.sessionId === 'string' && (typeof document.creationDate === 'number' || 'responderUsername' in document);
}

/** A `.jsonl` session log as a thread, or a skipped event. */
export async function* readVsCodeChatLog(text: string, path: string): AsyncGenerator<ImportEvent> {
  let state: unknown;
  try {
    state = applyMutationLog(text);
  } catch (err) {
    yield skipped(path, `It is not a readable VS Code chat session log: ${err instanceof Error ? err.message : String(err)}.`);
    return;
  }
  const session = asObject(state);
  if (!session || !isVsCodeChat(session)) {
    yield skipped(path, 'It is a JSON Lines file, but not a VS Code chat session log.');
    return;
  }
  yield* await sessionEvents(session, path);
}

async function sessionEvents(session: LooseItem, path: string): Promise<ImportEvent[]> {
  const requests = (session.requests as unknown[]).map(asObject).filter((request) => request !== undefined);
  const builder = new ItemsBuilder();
  for (const request of requests) readRequest(request, builder);
  const items = builder.finish();
  const sessionId = session.sessionId as string;
  if (items.length === 0) return [skipped(path, `VS Code chat session "${sessionId}" has no messages.`)];
  const createdAt = finite(session.creationDate) ?? Math.round((await stat(path)).mtimeMs);
  const title = stringField(session, 'customTitle') ?? stringField(session, 'computedTitle') ?? titleFrom(requestText(requests[0]), 'VS Code chat');
  const record = {
    id: `vscode-chat-${sessionId}`,
    title,
    workspaceKey: await workspaceOf(path),
    createdAt,
    updatedAt: lastMessageAt(session, requests) ?? createdAt,
    pinned: false,
    items,
  };
  return [{ kind: 'thread', record, format: 'vscode-chat', source: path }];
}

function readRequest(request: LooseItem, builder: ItemsBuilder): void {
  const notes = attachmentNotes(request.variableData);
  builder.user([requestText(request), ...notes].filter((part) => part !== '').join('\n\n'));
  const state = asObject(request.modelState);
  const incomplete = request.isCanceled === true || (state !== undefined && state.value !== 1 && state.value !== undefined && state.value !== 0);
  let text = '';
  const flush = (): void => {
    builder.assistant(text.trim(), incomplete);
    text = '';
  };
  const response = request.response;
  if (typeof response === 'string') text = response;
  for (const part of Array.isArray(response) ? response : []) {
    if (typeof part === 'string') {
      text += part;
      continue;
    }
    const object = asObject(part);
    if (!object) continue;
    const kind = stringField(object, 'kind');
    if (kind === undefined || kind === 'markdownContent' || kind === 'markdownVuln') text += markdownValue(kind === undefined ? object : object.content);
    else if (kind === 'inlineReference') text += `\`${referenceName(object)}\``;
    else if (kind === 'toolInvocationSerialized' || kind === 'toolInvocation') {
      flush();
      toolCall(object, builder);
    } else if (kind === 'textEditGroup' || kind === 'notebookEditGroup') text += `\n\n${note(`File edit to ${uriPath(object.uri)}`)}\n\n`;
    else if (kind === 'workspaceEdit') text += `\n\n${note('Workspace edit')}\n\n`;
  }
  flush();
}

/** A tool invocation as a call with its output: arguments from the tool's input, output as recorded. */
function toolCall(part: LooseItem, builder: ItemsBuilder): void {
  const details = asObject(part.resultDetails);
  const specific = asObject(part.toolSpecificData);
  const input = specific?.kind === 'input' ? specific.rawInput : details?.input;
  const outputs = Array.isArray(details?.output) ? (details.output as unknown[]).map((entry) => asObject(entry)).filter((entry) => entry !== undefined) : [];
  const outputText = outputs.map((entry) => (typeof entry.value === 'string' && entry.isText !== false ? entry.value : note(`Output of type ${String(entry.mimeType ?? 'data')}`))).join('\n');
  const summary = markdownValue(part.pastTenseMessage) || markdownValue(part.invocationMessage);
  builder.toolCallWithOutput(stringField(part, 'toolId') ?? 'tool', argsText(input ?? {}), outputText !== '' ? outputText : summary || undefined);
}

function requestText(request: LooseItem | undefined): string {
  if (!request) return '';
  if (typeof request.message === 'string') return request.message;
  return stringField(asObject(request.message) ?? {}, 'text') ?? '';
}

function attachmentNotes(variableData: unknown): string[] {
  const variables = asObject(variableData)?.variables;
  if (!Array.isArray(variables)) return [];
  return variables.flatMap((variable: unknown) => {
    const object = asObject(variable);
    return object && (object.kind === 'image' || object.isImage === true) ? [note(`Image ${stringField(object, 'name') ?? ''}`.trim())] : [];
  });
}

function markdownValue(value: unknown): string {
  if (typeof value === 'string') return value;
  return stringField(asObject(value) ?? {}, 'value') ?? '';
}

function referenceName(part: LooseItem): string {
  const name = stringField(part, 'name');
  if (name) return name;
  const reference = asObject(part.inlineReference);
  const uri = asObject(reference?.uri) ?? reference;
  return basename(uriPath(uri)) || 'reference';
}

function uriPath(value: unknown): string {
  const uri = asObject(value);
  return (uri && (stringField(uri, 'fsPath') ?? stringField(uri, 'path'))) || 'a file';
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function lastMessageAt(session: LooseItem, requests: readonly LooseItem[]): number | undefined {
  const times = requests.map((request) => finite(request.timestamp)).filter((time) => time !== undefined);
  const last = finite(session.lastMessageDate);
  if (last !== undefined) times.push(last);
  return times.length > 0 ? Math.max(...times) : undefined;
}

/**
 * The workspace a session belongs to: VS Code keeps `workspace.json` (`{"folder": uri}` or
 * `{"workspace": uri}`) in the `workspaceStorage/<hash>/` folder that holds `chatSessions/`.
 */
async function workspaceOf(path: string): Promise<string> {
  try {
    const file = join(dirname(dirname(path)), 'workspace.json');
    const info = asObject(JSON.parse(await readFile(file, 'utf8')));
    return (info && (stringField(info, 'workspace') ?? stringField(info, 'folder'))) ?? '';
  } catch {
    return '';
  }
}

/** One session offered by "Import from VS Code Chat...". */
export interface VsCodeChatSessionInfo {
  file: string;
  title: string;
  /** Epoch ms. */
  lastMessageAt: number;
  requests: number;
}

/**
 * The sessions in a `chatSessions` folder, newest first, for the user to choose from. Files that
 * cannot be read or are not sessions are left out (the import itself reports them if chosen).
 */
export async function listVsCodeChatSessions(chatSessionsDir: string): Promise<VsCodeChatSessionInfo[]> {
  let names: string[];
  try {
    names = await readdir(chatSessionsDir);
  } catch {
    return [];
  }
  const sessions: VsCodeChatSessionInfo[] = [];
  for (const name of names.filter((entry) => entry.endsWith('.json') || entry.endsWith('.jsonl'))) {
    const file = join(chatSessionsDir, name);
    try {
      const info = await stat(file);
      if (!info.isFile() || info.size > DEFAULT_MAX_FILE_BYTES) continue;
      const text = await readFile(file, 'utf8');
      const session = asObject(name.endsWith('.jsonl') ? applyMutationLog(text) : JSON.parse(text));
      if (!session || !isVsCodeChat(session)) continue;
      const requests = (session.requests as unknown[]).map(asObject).filter((request) => request !== undefined);
      if (requests.length === 0) continue;
      const title = stringField(session, 'customTitle') ?? stringField(session, 'computedTitle') ?? titleFrom(requestText(requests[0]), 'VS Code chat');
      sessions.push({ file, title, lastMessageAt: lastMessageAt(session, requests) ?? finite(session.creationDate) ?? Math.round(info.mtimeMs), requests: requests.length });
    } catch {
      continue;
    }
  }
  return sessions.sort((a, b) => b.lastMessageAt - a.lastMessageAt);
}
