import * as vscode from 'vscode';
import { attachmentDetail, userItemWith, type Attachment } from '../../core/context/attachments.ts';
import type { Item } from '../../core/session/session.ts';
import { wireText } from '../../core/model/items.ts';
import { WORKSPACE_TOOLS, type ToolDefinition } from '../../core/tools/toolDefinitions.ts';
import { approvedTools, type TurnTools } from '../../core/tools/turnTools.ts';
import { WorkspaceTools } from '../../core/tools/workspaceTools.ts';
import type { Snapshot } from '../../shared/protocol.ts';
import { readContextSettings } from './contextSettings.ts';
import { chatPath, fileAttachment, fromChatPath } from './editorContext.ts';
import { PendingAttachments } from './pendingAttachments.ts';
import { ToolApprovals } from './toolApprovals.ts';
import { toolEnvironment } from './toolEnvironment.ts';

/** Most files the `#` completion lists. */
const MAX_FOUND = 50;

/**
 * What the chat knows of the editor: the attachments waiting in the message box and the tool
 * calls waiting for approval. The controller asks it for the user's item, the turn's tools and
 * the snapshot's additions; the webview's and the commands' requests land here.
 */
export class ChatContext {
  readonly attachments: PendingAttachments;
  readonly approvals: ToolApprovals;
  readonly #log: vscode.LogOutputChannel;

  constructor(workspaceState: vscode.Memento, log: vscode.LogOutputChannel, changed: () => void) {
    this.attachments = new PendingAttachments(workspaceState, changed);
    this.approvals = new ToolApprovals(workspaceState, changed);
    this.#log = log;
  }

  /** Adds the waiting attachments and the waiting approval to a snapshot of `snapshot.thread`. */
  decorate(snapshot: Snapshot): void {
    const attachments = this.attachments.views();
    if (attachments.length > 0) snapshot.attachments = attachments;
    const approval = this.approvals.view(snapshot.thread.id);
    if (approval) snapshot.approval = approval;
  }

  /** The text of the attachments waiting in the message box, as the next message will send it. */
  pendingText(): string {
    const waiting = this.attachments.all();
    if (waiting.length === 0) return '';
    // Exactly as the next message will carry them: headers and the cut to the limit included.
    return wireText(userItemWith('', waiting, readContextSettings().attachmentMaxChars).content);
  }

  /** The user's message with the waiting attachments, and a callback that forgets them once it is stored. */
  userItem(text: string): { item: Item; stored(): Promise<void> } {
    const waiting = this.attachments.all();
    const item = userItemWith(text, waiting, readContextSettings().attachmentMaxChars);
    if (waiting.length > 0) this.#log.info(`Sending ${waiting.length} attachment(s): ${waiting.map((entry: Attachment) => attachmentDetail(entry)).join('; ')}`);
    return { item, stored: () => this.attachments.sent(waiting) };
  }

  /** The definitions {@link tools} offers the model (for counting what a request sends), without building the tools. */
  toolDefinitions(allowed?: readonly string[]): readonly ToolDefinition[] | undefined {
    if (!readContextSettings().toolsEnabled) return undefined;
    const definitions = allowed ? WORKSPACE_TOOLS.filter((tool) => allowed.includes(tool.name)) : WORKSPACE_TOOLS;
    return definitions.length > 0 ? definitions : undefined;
  }

  /**
   * The workspace tools for a run in `threadId`, or undefined when `sessionChat.tools.enabled` is
   * off or `allowed` (an agent's `tools`) names none. Only `allowed` are offered, and a call to
   * any other is refused without asking.
   */
  tools(threadId: string, allowed?: readonly string[]): TurnTools | undefined {
    const definitions = this.toolDefinitions(allowed);
    if (!definitions) return undefined;
    const settings = readContextSettings();
    const tools = new WorkspaceTools(toolEnvironment(settings));
    return approvedTools(tools, definitions, settings.maxToolRounds, (call, signal) => {
      this.#log.info(`Tool call ${call.name} ${call.arguments} waits for approval`);
      return this.approvals.approve(threadId, call, signal);
    });
  }

  /** `#` in the message box: workspace files whose path contains `query` (files.exclude applies). */
  async findFiles(query: string): Promise<{ files: string[] }> {
    const needle = query.toLowerCase();
    const uris = await vscode.workspace.findFiles('**/*', undefined, 5000);
    const files = uris
      .map((uri) => chatPath(uri))
      .filter((path) => path.toLowerCase().includes(needle))
      .sort((a, b) => a.length - b.length || a.localeCompare(b))
      .slice(0, MAX_FOUND);
    return { files };
  }

  /** Attaches a file the `#` completion offered. */
  async addFile(path: string): Promise<void> {
    const uri = fromChatPath(path);
    if (!uri) throw new Error(`No file ${path} in the workspace.`);
    await this.attachments.add(await fileAttachment(uri));
  }
}
