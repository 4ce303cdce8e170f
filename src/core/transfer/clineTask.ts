import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { asObject, stringField, type LooseItem } from '../items/itemFields.ts';
import type { SourceFormat } from './threadRecord.ts';
import { ItemsBuilder, argsText, note, plainText, titleFrom } from './foreignItems.ts';
import { skipped, type ImportEvent } from './importEvent.ts';
import { workspaceUri } from './workspaceUri.ts';

/**
 * Cline and Roo Code tasks: `<globalStorage>/tasks/<taskId>/api_conversation_history.json` (the
 * messages as sent to the model) beside `ui_messages.json` (what the panel showed) and metadata.
 * Followed: cline/cline `src/core/storage/disk.ts` (commit 0162b82878a6d755b471ebaae554372ae25da419:
 * api history is Anthropic `MessageParam[]`, task titles and folders in `state/taskHistory.json`
 * HistoryItem {id, ts, task, cwdOnTaskInitialization, isFavorited}, `task_metadata.json`
 * {files_in_context, model_usage}) and RooCodeInc/Roo-Code `src/core/task-persistence/`
 * (apiMessages.ts and rooMessage.ts at commit 286c4658c9f471986d290b205b4349b41a872138: the
 * legacy Anthropic array with Roo fields such as condenseId/truncationParent, or the envelope
 * `{version: 2, messages: RooMessage[]}` of AI SDK messages with tool-call/tool-result parts;
 * TaskHistoryStore.ts at 8400c685a5576c1991435dd0690be19d674581b3: `history_item.json`
 * {id, ts, task, workspace} in each task folder).
 * Cline or Roo: the v2 envelope, a `history_item.json` beside the file, or Roo-only message fields
 * say Roo; `task_metadata.json` beside it says Cline; else the extension folder in the path
 * (`rooveterinaryinc.roo-cline` or `saoudrizwan.claude-dev`); else Cline, whose format Roo forked.
 */

/** True for an api_conversation_history.json document (either tool, either Roo layout). */
export function isTaskHistory(document: unknown): boolean {
  const envelope = asObject(document);
  if (envelope && envelope.version === 2 && Array.isArray(envelope.messages)) return envelope.messages.every(isTaskMessage);
  return Array.isArray(document) && document.length > 0 && document.slice(0, 50).every(isTaskMessage);
}

function isTaskMessage(value: unknown): boolean {
  const object = asObject(value);
  if (!object) return false;
  if (object.type === 'reasoning' && !('role' in object)) return true;
  return (object.role === 'user' || object.role === 'assistant' || object.role === 'tool') && (typeof object.content === 'string' || Array.isArray(object.content));
}

/** A Cline or Roo companion file (read with the history beside it, not imported on its own). */
export function isTaskCompanion(document: unknown): boolean {
  const object = asObject(document);
  if (object) return Array.isArray(object.files_in_context) || (typeof object.task === 'string' && typeof object.id === 'string') || (object.version === 1 && Array.isArray(object.entries));
  if (!Array.isArray(document) || document.length === 0) return false;
  const first = document[0];
  if (Array.isArray(first)) return true; // context_history.json: [index, [...]] pairs
  const item = asObject(first);
  return item !== undefined && ((typeof item.ts === 'number' && (item.type === 'say' || item.type === 'ask')) || (typeof item.id === 'string' && typeof item.task === 'string'));
}

export async function readTaskHistory(document: unknown, path: string): Promise<ImportEvent[]> {
  const folder = dirname(path);
  const taskId = basename(folder);
  const envelope = asObject(document);
  const messages = (envelope ? (envelope.messages as unknown[]) : (document as unknown[])).map(asObject).filter((message) => message !== undefined);
  const historyItem = await readJsonObject(join(folder, 'history_item.json'));
  const format = await whichTool(path, envelope !== undefined, historyItem !== undefined, messages);
  const meta = format === 'roo' ? historyItem : await clineHistoryItem(folder, taskId);
  const ui = await readJsonArray(join(folder, 'ui_messages.json'));
  const { items, firstQuestion } = convert(messages);
  if (items.length === 0) return [skipped(path, `${format === 'roo' ? 'Roo Code' : 'Cline'} task "${taskId}" has no messages.`)];
  const modified = Math.round((await stat(path)).mtimeMs);
  const times = [...(ui ?? []), ...messages].map((entry) => asObject(entry)?.ts).filter((ts): ts is number => typeof ts === 'number' && Number.isFinite(ts));
  const firstUi = asObject(ui?.[0]);
  const title = stringField(meta ?? {}, 'task') ?? stringField(firstUi ?? {}, 'text') ?? firstQuestion;
  const record = {
    id: `${format}-${taskId}`,
    title: titleFrom(title, format === 'roo' ? 'Roo Code task' : 'Cline task'),
    workspaceKey: workspaceUri(stringField(meta ?? {}, 'workspace') ?? stringField(meta ?? {}, 'cwdOnTaskInitialization') ?? ''),
    createdAt: times.length > 0 ? Math.min(...times) : modified,
    updatedAt: times.length > 0 ? Math.max(...times, typeof meta?.ts === 'number' ? meta.ts : 0) : modified,
    pinned: meta?.isFavorited === true,
    items,
  };
  return [{ kind: 'thread', record, format, source: path }];
}

async function whichTool(path: string, envelope: boolean, hasHistoryItem: boolean, messages: readonly LooseItem[]): Promise<SourceFormat> {
  if (envelope || hasHistoryItem) return 'roo';
  if (messages.some((message) => ROO_FIELDS.some((field) => field in message) || (message.type === 'reasoning' && !('role' in message)))) return 'roo';
  if (await readJsonObject(join(dirname(path), 'task_metadata.json'))) return 'cline';
  if (/rooveterinaryinc\.roo-cline/i.test(path)) return 'roo';
  return 'cline';
}

/** Fields only Roo Code writes on its api messages (context condensing and truncation). */
const ROO_FIELDS = ['condenseId', 'condenseParent', 'truncationId', 'truncationParent', 'isTruncationMarker', 'isSummary'];

/** Cline keeps task titles in `<globalStorage>/state/taskHistory.json`, two folders up from the task. */
async function clineHistoryItem(folder: string, taskId: string): Promise<LooseItem | undefined> {
  const list = await readJsonArray(join(dirname(dirname(folder)), 'state', 'taskHistory.json'));
  return list?.map(asObject).find((item) => item?.id === taskId);
}

/** Messages to items. Environment details Cline/Roo append to every user message are left out. */
function convert(messages: readonly LooseItem[]): { items: string[]; firstQuestion: string } {
  const builder = new ItemsBuilder();
  let firstQuestion = '';
  for (const message of messages) {
    if (message.role === 'user') {
      const texts: string[] = [];
      for (const part of parts(message.content)) {
        if (part.type === 'tool_result') builder.toolOutput(stringField(part, 'tool_use_id'), resultText(part.content));
        else texts.push(partText(part));
      }
      const text = texts.filter((entry) => entry !== '').join('\n\n').trim();
      if (firstQuestion === '' && text !== '') firstQuestion = text;
      builder.user(text);
    } else if (message.role === 'assistant') {
      let text = '';
      for (const part of parts(message.content)) {
        if (part.type === 'tool_use' || part.type === 'tool-call') {
          builder.assistant(text.trim());
          text = '';
          builder.toolCall(stringField(part, 'id') ?? stringField(part, 'toolCallId'), stringField(part, 'name') ?? stringField(part, 'toolName') ?? 'tool', argsText(part.input));
        } else {
          text += partText(part);
        }
      }
      builder.assistant(text.trim());
    } else if (message.role === 'tool') {
      for (const part of parts(message.content)) {
        if (part.type === 'tool-result' || part.type === 'tool_result') builder.toolOutput(stringField(part, 'toolCallId') ?? stringField(part, 'tool_use_id'), resultText(part.output ?? part.content));
      }
    }
  }
  return { items: builder.finish(), firstQuestion };
}

function parts(content: unknown): LooseItem[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? content.map(asObject).filter((part) => part !== undefined) : [];
}

/** A content part as text; reasoning is left out, what cannot come across becomes a note. */
function partText(part: LooseItem): string {
  switch (part.type) {
    case 'text':
      return withoutEnvironment(stringField(part, 'text') ?? '');
    case 'image':
      return note('Image');
    case 'document':
    case 'file':
      return note('File');
    case 'thinking':
    case 'redacted_thinking':
    case 'reasoning':
      return '';
    default:
      return typeof part.type === 'string' ? note(`Content of type ${part.type}`) : '';
  }
}

/** A tool result's text: a string, text blocks, or an AI SDK output ({type, value}). */
function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: unknown) => { const object = asObject(part); return object ? (object.type === 'image' ? note('Image') : (stringField(object, 'text') ?? plainText(object.value))) : ''; }).join('\n');
  const output = asObject(content);
  if (output && 'value' in output) return output.type === 'content' ? resultText(output.value) : plainText(output.value);
  return plainText(content);
}

/** Text without the environment details appended to every user message and the `<task>` wrapper of the first. */
function withoutEnvironment(text: string): string {
  return text
    .replace(/<environment_details>[\s\S]*?<\/environment_details>/g, '')
    .replace(/^\s*<task>\s*([\s\S]*?)\s*<\/task>\s*$/, '$1')
    .trim();
}

async function readJsonObject(path: string): Promise<LooseItem | undefined> {
  return asObject(await readSmallJson(path));
}

async function readJsonArray(path: string): Promise<unknown[] | undefined> {
  const value = await readSmallJson(path);
  return Array.isArray(value) ? value : undefined;
}

/** A metadata file beside the history, when present, readable and under 16 MB (metadata never is more). */
async function readSmallJson(path: string): Promise<unknown> {
  try {
    if ((await stat(path)).size > 16 * 1024 * 1024) return undefined;
    return JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}
