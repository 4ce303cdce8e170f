import * as vscode from 'vscode';
import { assistantItem, modelCallItem } from '../../core/model/items.ts';
import { lmMessageText, toLmMessages, type LmMessage } from '../../core/model/lmHistory.ts';
import { lmRunError } from '../../core/model/lmErrors.ts';
import type { ModelReply, ModelRequest, ModelSource } from '../../core/model/modelSource.ts';
import { ModelSourceError } from '../../core/model/runError.ts';
import type { Item } from '../../core/session/session.ts';
import type { ReportedUsage } from '../../core/model/usage.ts';

/** Shown in VS Code's consent dialog, which the user's own first message to a model opens. */
export const LM_JUSTIFICATION = 'Session Chat sends the messages of your chat thread to the model you chose, to answer them.';

/** A model as Select Model and the setup card show it. */
export interface VscodeModelInfo {
  id: string;
  name: string;
  vendor: string;
  family: string;
  maxInputTokens: number;
}

/** The chat models of VS Code's Language Model API (Copilot, or any extension that provides some), by name. */
export async function vscodeChatModels(): Promise<VscodeModelInfo[]> {
  const models = await vscode.lm.selectChatModels();
  return models
    .map((model) => ({ id: model.id, name: model.name, vendor: model.vendor, family: model.family, maxInputTokens: model.maxInputTokens }))
    .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

/**
 * The model named `id`: asked by id first; otherwise among all models one whose id, name or family
 * is what the user typed. None: an `lmNotFound` naming a few that exist.
 */
export async function findChatModel(id: string): Promise<vscode.LanguageModelChat> {
  const [exact] = await vscode.lm.selectChatModels({ id });
  if (exact) return exact;
  const all = await vscode.lm.selectChatModels();
  const wanted = id.toLowerCase();
  const typed = all.find((model) => model.id.toLowerCase() === wanted || model.name.toLowerCase() === wanted || model.family.toLowerCase() === wanted);
  if (typed) return typed;
  const some = all.slice(0, 5).map((model) => model.id).join(', ');
  const detail = all.length === 0 ? 'VS Code has no chat model: install or sign in to an extension that provides one' : `no model has this id; VS Code offers ${some}${all.length > 5 ? ', …' : ''}`;
  throw new ModelSourceError({ kind: 'lmNotFound', detail });
}

function toChatMessage(message: LmMessage): vscode.LanguageModelChatMessage {
  if (message.role === 'assistant') {
    const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart)[] = [];
    for (const part of message.parts) {
      if (part.type === 'text') parts.push(new vscode.LanguageModelTextPart(part.text));
      else if (part.type === 'toolCall') parts.push(new vscode.LanguageModelToolCallPart(part.callId, part.name, part.input));
    }
    return vscode.LanguageModelChatMessage.Assistant(parts);
  }
  const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolResultPart)[] = [];
  for (const part of message.parts) {
    if (part.type === 'text') parts.push(new vscode.LanguageModelTextPart(part.text));
    else if (part.type === 'toolResult') parts.push(new vscode.LanguageModelToolResultPart(part.callId, [new vscode.LanguageModelTextPart(part.text)]));
  }
  return vscode.LanguageModelChatMessage.User(parts);
}

/** A count the API may refuse (a provider without a tokenizer): undefined then, and the runner estimates. */
async function countOrUndefined(counts: Promise<number>[]): Promise<number | undefined> {
  try {
    const figures = await Promise.all(counts);
    return figures.every((figure) => Number.isFinite(figure) && figure >= 0) ? figures.reduce((sum, figure) => sum + figure, 0) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * VS Code's Language Model API (`vscode.lm`) as a model source: no key, no server. Stored items
 * are sent as `LanguageModelChatMessage`s (see `lmHistory.ts`, where the system prompt goes) and
 * the answer comes back in the same stored shape as from a server (`assistantItem`,
 * `modelCallItem`), so the SDK reads the thread whichever source answered. The API reports no
 * usage: tokens are counted with the model's own `countTokens`.
 */
export class VscodeLmSource implements ModelSource {
  async stream(request: ModelRequest): Promise<ModelReply> {
    const cancel = new vscode.CancellationTokenSource();
    const stop = (): void => cancel.cancel();
    request.signal.addEventListener('abort', stop, { once: true });
    if (request.signal.aborted) stop();
    let text = '';
    const calls: Item[] = [];
    let counting: Promise<number | undefined> = Promise.resolve(undefined);
    let model: vscode.LanguageModelChat | undefined;
    try {
      model = await findChatModel(request.model);
      const chosen = model;
      const messages = toLmMessages(request.history, request.systemPrompt);
      const options: vscode.LanguageModelChatRequestOptions = { justification: LM_JUSTIFICATION };
      if (request.tools?.length) options.tools = request.tools.map((tool) => ({ name: tool.name, description: tool.description, inputSchema: tool.parameters }));
      const response = await chosen.sendRequest(messages.map(toChatMessage), options, cancel.token);
      // Counted while the answer streams, so the count adds no wait.
      counting = countOrUndefined(messages.map((message) => Promise.resolve(chosen.countTokens(lmMessageText(message)))));
      for await (const part of response.stream) {
        request.onEvent?.();
        if (part instanceof vscode.LanguageModelTextPart) {
          text += part.value;
          request.onDelta(part.value);
        } else if (part instanceof vscode.LanguageModelToolCallPart) {
          calls.push(modelCallItem(part.callId || `call_${calls.length}`, part.name, JSON.stringify(part.input ?? {})));
        }
      }
    } catch (error) {
      // Stopped: what arrived is the answer (the runner checks the signal).
      if (!request.signal.aborted) throw error instanceof ModelSourceError ? error : new ModelSourceError(lmRunError(error));
    } finally {
      request.signal.removeEventListener('abort', stop);
      cancel.dispose();
    }
    const items: Item[] = text ? [assistantItem(text)] : [];
    items.push(...calls);
    return { items, ...(model ? { usage: await this.#usage(model, counting, text) } : {}) };
  }

  async #usage(model: vscode.LanguageModelChat, input: Promise<number | undefined>, text: string): Promise<ReportedUsage> {
    const [inputTokens, outputTokens] = await Promise.all([input, text ? countOrUndefined([Promise.resolve(model.countTokens(text))]) : Promise.resolve(0)]);
    // Counted here on what we sent and received, not reported: the provider may add prompts of its own.
    return { ...(inputTokens === undefined ? {} : { inputTokens }), ...(outputTokens === undefined ? {} : { outputTokens }), counted: true };
  }

  /** The ids of VS Code's chat models, sorted. */
  async listModels(): Promise<string[]> {
    try {
      return (await vscodeChatModels()).map((model) => model.id).sort((a, b) => a.localeCompare(b));
    } catch (error) {
      throw new ModelSourceError(lmRunError(error));
    }
  }

  /** The model's `maxInputTokens`. */
  async contextWindow(model: string): Promise<number | undefined> {
    try {
      const found = await findChatModel(model);
      return found.maxInputTokens > 0 ? found.maxInputTokens : undefined;
    } catch {
      return undefined;
    }
  }
}
