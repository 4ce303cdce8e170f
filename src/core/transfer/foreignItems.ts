import { assistantItem, functionCallItem, userItem } from '../model/items.ts';
import type { Item } from '../session/session.ts';

/**
 * Builds the items Session Chat stores from another tool's conversation, in the shapes the panel
 * and the model runner write (src/core/model/items.ts), as JSON text. What has no Responses-API
 * equivalent (images, file edits a tool applied, checkpoints) becomes a short note in brackets
 * inside the message text: the panel shows it, the model reads it, and no item type the API would
 * reject ever reaches a later request.
 */
export class ItemsBuilder {
  readonly items: string[] = [];
  #calls = 0;
  /** Calls waiting for their output, by the source's call id, in order. */
  readonly #open = new Map<string, { name: string }>();
  /** The source's call ids mapped to ours (made unique: some tools reuse ids across turns). */
  readonly #ids = new Map<string, string>();

  user(text: string): void {
    this.#closeOpenCalls();
    if (text.trim() !== '') this.#push(userItem(text));
  }

  assistant(text: string, incomplete = false): void {
    if (text.trim() !== '') this.#push(assistantItem(text, incomplete ? 'incomplete' : 'completed'));
  }

  /** A tool call; its output follows with {@link toolOutput} (or a note says none was recorded). */
  toolCall(sourceId: string | undefined, name: string, args: string): void {
    const id = `call_import_${++this.#calls}`;
    if (sourceId !== undefined) this.#ids.set(sourceId, id);
    this.#open.set(id, { name });
    this.#push(functionCallItem(id, name, args));
  }

  /** The output of a call made earlier (matched by the source's id, else the oldest open call). */
  toolOutput(sourceId: string | undefined, output: string): void {
    const id = sourceId === undefined ? this.#open.keys().next().value : (this.#ids.get(sourceId) ?? (this.#open.has(sourceId) ? sourceId : undefined));
    const call = id === undefined ? undefined : this.#open.get(id);
    if (id === undefined || !call) {
      // An output whose call is not in the file: keep what it said as a note in the answer.
      this.assistant(`[Tool output not matched to a call]\n${output}`);
      return;
    }
    this.#open.delete(id);
    this.#push({ type: 'function_call_result', callId: id, name: call.name, status: 'completed', output: { type: 'text', text: output } } as Item);
  }

  /** A tool call with its output at once (formats that store them together). */
  toolCallWithOutput(name: string, args: string, output: string | undefined): void {
    this.toolCall(undefined, name, args);
    const id = `call_import_${this.#calls}`;
    this.toolOutput(id, output ?? NO_OUTPUT);
  }

  /** Ends the conversation: every call gets an output, since a history never ends on a bare call. */
  finish(): string[] {
    this.#closeOpenCalls();
    return this.items;
  }

  #closeOpenCalls(): void {
    for (const id of [...this.#open.keys()]) this.toolOutput(id, NO_OUTPUT);
  }

  #push(item: Item): void {
    this.items.push(JSON.stringify(item));
  }
}

/** What a call's output says when the source recorded none. */
export const NO_OUTPUT = '[No result was recorded for this tool call]';

/** The note for content that does not come across, e.g. `[Image not imported]`. */
export function note(what: string): string {
  return `[${what} not imported]`;
}

/** A title from the first question: its first line, shortened to 80 characters. */
export function titleFrom(text: string, fallback: string): string {
  const line = text.trim().split('\n', 1)[0]!.replace(/\s+/g, ' ').trim();
  if (line === '') return fallback;
  return line.length > 80 ? `${line.slice(0, 79)}…` : line;
}

/** Arguments as the JSON text a function call carries. */
export function argsText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value ?? {});
  } catch {
    return '{}';
  }
}

/** A value as text for a tool output: strings as they are, anything else as JSON. */
export function plainText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return '';
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}
