import { z } from 'zod';

/**
 * The one protocol between the chat webview and the extension host. The zod schemas are the
 * source: every type here is derived from one with `z.infer`, so a message cannot exist in the
 * types and be missing from validation. The host validates every webview message with these
 * schemas (`parseMessage.ts`); the webview imports the types only (`import type`), so its bundle
 * carries no zod: what it receives comes from the host, built from this same file.
 *
 * Conventions: message names read `area/verb`; requests carry an `id` and are answered by one
 * `reply`, `{ ok: true, value }` or `{ ok: false, error }`, whose value type `RequestMap` names; a
 * stream is many `chat/delta` frames then one `chat/done` (or `chat/error`) with the same `id`;
 * `chat/abort` names the `id` to stop. The host is the single source of truth: the webview renders
 * the latest snapshot plus stream deltas and keeps only its draft and scroll position.
 */

/** Longest request id accepted; the webview makes short ids. */
export const MAX_ID_CHARS = 128;
/** Longest message a user can send (about 25k tokens); longer text is rejected, not cut. */
export const MAX_MESSAGE_CHARS = 100_000;
/** Longest code block the webview may ask to insert or copy. */
export const MAX_CODE_CHARS = 1_000_000;
/** Longest text the find bar may search for. */
export const MAX_FIND_CHARS = 1_000;

/** A request id, chosen by the webview. */
const requestId = z.string().min(1).max(MAX_ID_CHARS);
/** A stored row id: a safe, non-negative integer. */
const rowId = z.int().min(0);

// ---------------------------------------------------------------- what the panel shows

/** One rendered entry of a turn. Tool calls are summarised by the host, never shown as raw JSON. */
export const viewEntrySchema = z.discriminatedUnion('kind', [
  z.object({
    /** A message the user sent. */
    kind: z.literal('user'),
    /** The stored row id of the item it shows; absent for an entry not read from the store. */
    rowId: rowId.optional(),
    /** Plain text the user typed. */
    text: z.string(),
    /** What was attached to the message, each shown as a chip that expands to its content. */
    attachments: z.array(z.object({
      /** The chip's label, e.g. `app.ts:3-7`. */
      name: z.string(),
      /** Path and range, for the tooltip. */
      detail: z.string(),
      /** The content sent (cut to the limit, with its note). */
      content: z.string(),
    })).optional(),
  }),
  z.object({
    /** A message of the model. */
    kind: z.literal('assistant'),
    /** The stored row id of the item it shows; absent for an entry not read from the store. */
    rowId: rowId.optional(),
    /** Markdown; the webview renders it sanitized. */
    text: z.string(),
    /** True when the answer was stopped or cut off before it finished. */
    partial: z.boolean().optional(),
  }),
  z.object({
    /** A function call of the model, with its output once there is one. */
    kind: z.literal('tool'),
    /** The stored row id of the item it shows; absent for an entry not read from the store. */
    rowId: rowId.optional(),
    /** Function name the model called. */
    name: z.string(),
    /** Arguments, pretty-printed and shortened for display. */
    args: z.string(),
    /** Output, shortened for display; absent while the call has no output. */
    output: z.string().optional(),
    /** The row id of the stored output, which this entry shows merged into its call. */
    outputRowId: rowId.optional(),
  }),
  z.object({
    /** The model's reasoning, shown collapsed. */
    kind: z.literal('reasoning'),
    /** The stored row id of the item it shows; absent for an entry not read from the store. */
    rowId: rowId.optional(),
    /** Reasoning summary text, if the item carried one. */
    text: z.string(),
  }),
  z.object({
    /**
     * A compaction (Session Chat: Compact Thread): the model's summary of the older turns, sent in
     * their place. The turns it covers stay stored and are shown folded; Undo removes the summary.
     */
    kind: z.literal('summary'),
    /** The stored row id of the summary item. */
    rowId: rowId.optional(),
    /** The summary, Markdown. */
    text: z.string(),
    /** How many turns before it the summary replaces in what is sent (they are shown folded). */
    turns: z.int().min(0),
    /** How many of the newest turns before it are still sent verbatim, after the summary. */
    kept: z.int().min(0),
  }),
  z.object({
    /** An item type the panel does not render specially. */
    kind: z.literal('note'),
    /** The stored row id of the item it shows; absent for an entry not read from the store. */
    rowId: rowId.optional(),
    /** One line describing the item. */
    text: z.string(),
  }),
]);
export type ViewEntry = z.infer<typeof viewEntrySchema>;

/** Tokens of one answer (or summed over a thread), as the model source reported them. */
export const usageViewSchema = z.object({
  /** Tokens sent (history, system prompt, attachments, tool outputs), over every request of the answer. */
  input: z.int().min(0),
  /** Tokens the model produced. */
  output: z.int().min(0),
  /** Of `input`, how many the server served from its prompt cache. */
  cached: z.int().min(0),
  /** True when (part of) the figures are estimated because the source did not report them. */
  estimated: z.boolean(),
});
export type UsageView = z.infer<typeof usageViewSchema>;

/** Who answered a turn and what it cost; stored in our own table beside the SDK's. */
export const answerViewSchema = z.object({
  /** The agent that answered (`sessionChat.agents`); absent for the default agent. */
  agent: z.string().optional(),
  /** The model that answered, as the source names it. */
  model: z.string().optional(),
  usage: usageViewSchema.optional(),
});
export type AnswerView = z.infer<typeof answerViewSchema>;

/** A user message and every item the model produced for it. */
export const viewTurnSchema = z.object({
  /**
   * The stored row id of the turn's first item: unique and stable while the turn exists; an older
   * turn always has a smaller id. The webview keys, orders and de-duplicates turns by it.
   */
  id: rowId,
  /** What the turn shows, in stored order. */
  entries: z.array(viewEntrySchema),
  /**
   * Present when the turn has more than one version (an edited question, a regenerated answer):
   * which one is shown. The panel shows a switcher ("2 / 3") with Previous and Next version.
   */
  versions: z
    .object({
      /** The version shown, counted from 1 (the oldest). */
      index: z.int().min(1),
      /** How many versions the turn has (at least 2). */
      count: z.int().min(2),
    })
    .refine((versions) => versions.index <= versions.count, 'index is at most count')
    .optional(),
  /** Present when the store knows who answered this turn or what it cost (the answer's hover shows it). */
  answer: answerViewSchema.optional(),
});
export type ViewTurn = z.infer<typeof viewTurnSchema>;

/** The paging fields of a page of turns (the snapshot's, a `thread/loadOlder` reply's). */
const olderFields = {
  /** Turns older than this page exist: ask with `thread/loadOlder`. */
  hasOlder: z.boolean(),
  /** The id of the turn just before the first turn of this page; present exactly when `hasOlder`. */
  olderId: rowId.optional(),
};

/** `olderId` is there exactly when `hasOlder` says older turns exist. */
function olderIdMatches(page: { hasOlder: boolean; olderId?: number }): boolean {
  return page.hasOlder === (page.olderId !== undefined);
}
const olderIdMessage = 'olderId is present exactly when hasOlder is true';

/** A page of turns, the value of the reply to `thread/loadOlder`. */
export const turnPageSchema = z
  .object({
    /** The page's turns, oldest first. */
    turns: z.array(viewTurnSchema),
    ...olderFields,
  })
  .refine(olderIdMatches, olderIdMessage);
export type TurnPage = z.infer<typeof turnPageSchema>;

/** What the panel shows of a thread. */
export const threadViewSchema = z.object({
  /** Thread id (= Agents SDK session id). */
  id: z.string(),
  /** Title shown in the header; may be empty for a new thread. */
  title: z.string(),
  /** The thread is pinned (Pin Thread); absent when it is not. */
  pinned: z.literal(true).optional(),
});
export type ThreadView = z.infer<typeof threadViewSchema>;

/** A request the host is still answering (shown as a streaming answer with a Stop button). */
export const streamViewSchema = z.object({
  /** Request id of the running `chat/send`, `chat/retry`, `turn/edit` or `turn/regenerate`. */
  id: requestId,
  /**
   * Text streamed so far. Sent in the snapshot that answers a surface's `ready` (it may have missed
   * deltas); left out of later snapshots, since a surface that is showing the stream has every delta
   * (a long answer would otherwise be posted again with every refresh).
   */
  text: z.string().optional(),
  /** The agent answering (`sessionChat.agents`), once the request is planned; absent for the default agent. */
  agent: z.string().optional(),
});
export type StreamView = z.infer<typeof streamViewSchema>;

/**
 * A button an error offers. `retry` re-sends the stored user message without storing it again;
 * `saveAnswer` stores an answer that arrived but could not be saved (see `Snapshot.unsaved`);
 * `setupModel` shows the "Set up a model" card (no usable model: no key, server unreachable, wrong URL);
 * `reconnectStore` tries the history's PostgreSQL server again (it was away).
 */
export const errorActionSchema = z.enum(['retry', 'setApiKey', 'openSettings', 'selectModel', 'saveAnswer', 'setupModel', 'reconnectStore']);
export type ErrorAction = z.infer<typeof errorActionSchema>;

/** An error the user can act on, shown under the last message. */
export const errorViewSchema = z.object({
  /** Words a user can act on, e.g. "The server rejected the API key (401)." */
  message: z.string(),
  /** Buttons to offer, in order. */
  actions: z.array(errorActionSchema),
});
export type ErrorView = z.infer<typeof errorViewSchema>;

/** Longest base URL the setup card may send. */
export const MAX_URL_CHARS = 2_000;

/**
 * No usable model is configured: the panel shows the "Set up a model" card instead of its empty
 * state. The host decides it when a surface opens (see `setupCheck.ts`), never at activation.
 */
export const setupViewSchema = z.object({
  /**
   * `notChosen`: nothing set up yet (the default server and no key); `noKey`: the server in settings
   * needs a key and none is saved for it; `unreachable`: the server in settings did not answer;
   * `noVscodeModel`: settings choose VS Code's Language Model API and VS Code has no chat model.
   */
  reason: z.enum(['notChosen', 'noKey', 'unreachable', 'noVscodeModel']),
  /** The base URL in settings, redacted to origin and path. */
  baseUrl: z.string(),
});
export type SetupView = z.infer<typeof setupViewSchema>;

/** An attachment waiting in the message box, sent with the next message. */
export const pendingAttachmentSchema = z.object({
  /** Chosen by the host; `attachment/remove` names it. */
  id: z.string().min(1).max(MAX_ID_CHARS),
  /** The chip's label (its remove button is "Remove <name>"). */
  name: z.string(),
  /** Path and line range, for the tooltip. */
  detail: z.string(),
});
export type PendingAttachment = z.infer<typeof pendingAttachmentSchema>;

/** A workspace tool call the model made, waiting for the user's approval. */
export const approvalViewSchema = z.object({
  /** The call's id; `tool/answer` names it. */
  callId: z.string().min(1).max(MAX_ID_CHARS),
  /** Tool name, e.g. `read_file`. */
  name: z.string(),
  /** Arguments, pretty-printed. */
  args: z.string(),
});
export type ApprovalView = z.infer<typeof approvalViewSchema>;

/** The footer's context meter. */
export const contextViewSchema = z.object({
  /** Estimated tokens of the next request: system prompt, the history that will be sent, waiting attachments. */
  used: z.int().min(0),
  /** The model's context window in tokens. */
  window: z.int().min(1),
  /** Where `window` came from: the model's metadata, `sessionChat.contextWindow`, or an assumption. */
  windowFrom: z.enum(['model', 'setting', 'assumed']),
  /** Older turns left out of what is sent so that it fits (trimming); they stay stored. */
  trimmedTurns: z.int().min(0),
  /** `trimmedTurns` is a lower bound: the thread was read only as far back as needed ("12+"). */
  trimmedAtLeast: z.literal(true).optional(),
  /**
   * `near`: 80 % of the room for history (the window less the answer's room) is used, or older turns
   * are already trimmed; `over`: no room left for the answer even trimmed (the newest turn alone is too long).
   */
  level: z.enum(['ok', 'near', 'over']),
});
export type ContextView = z.infer<typeof contextViewSchema>;

/** One agent of the picker. */
export const agentViewSchema = z.object({
  /** What `@name` addresses; unique, case-insensitive. */
  name: z.string(),
  /** Shown in the picker: the first line of its instructions or its model. */
  detail: z.string(),
});
export type AgentView = z.infer<typeof agentViewSchema>;

/** The full state the webview renders; sent after every change the host makes. */
export const snapshotSchema = z
  .object({
    /** The thread shown. */
    thread: threadViewSchema,
    /** The newest page of turns, oldest first. */
    turns: z.array(viewTurnSchema),
    ...olderFields,
    /** Undo Last Turn has something to undo. */
    canUndo: z.boolean(),
    /** Redo has an undone turn to bring back. */
    canRedo: z.boolean(),
    /**
     * The thread's newest stored row id (0 when empty): the history this snapshot shows. Edits,
     * regenerations and version switches carry it back as `expectedLastRowId`, so one made from a
     * stale view (another window changed the thread) is refused instead of applied to another history.
     */
    lastRowId: rowId.optional(),
    /** The running request, if any (also when the panel is re-opened mid-stream). */
    stream: streamViewSchema.optional(),
    /** The last failed request of this thread, until the next send, retry or undo. */
    error: errorViewSchema.optional(),
    /** An answer that arrived but could not be stored (e.g. a full disk): shown after the turns until it is saved. */
    unsaved: z.object({ text: z.string() }).optional(),
    /** Model name shown in the footer. */
    model: z.string(),
    /** Present when no usable model is configured: the panel offers "Set up a model". */
    setup: setupViewSchema.optional(),
    /** Attachments waiting in the message box (they survive a reload until sent or removed). */
    attachments: z.array(pendingAttachmentSchema).optional(),
    /** A tool call of the running request waiting for Allow or Deny. */
    approval: approvalViewSchema.optional(),
    /** The tokens of every answer of the thread that is still in it (undone turns do not count). */
    usage: usageViewSchema.extend({ answers: z.int().min(0) }).optional(),
    /** The context meter in the footer: what the next request will send against the model's window. */
    context: contextViewSchema.optional(),
    /** The agents of `sessionChat.agents` (the default first); absent when only the default exists. */
    agents: z.array(agentViewSchema).optional(),
    /** The agent the next message goes to unless it starts with `@name` (absent = the default agent). */
    agent: z.string().optional(),
  })
  .refine(olderIdMatches, olderIdMessage);
export type Snapshot = z.infer<typeof snapshotSchema>;

// ---------------------------------------------------------------- webview -> host

/** The panel's buttons; each runs the matching `sessionChat.*` command. */
export const panelCommandSchema = z.enum(['undoTurn', 'redoTurn', 'clearSession', 'newThread', 'switchThread', 'setApiKey', 'selectModel', 'openSettings', 'saveAnswer', 'reconnectStore', 'compactThread']);
export type PanelCommand = z.infer<typeof panelCommandSchema>;

/** Messages from the webview to the host. Untrusted: the host validates every one. */
export const webviewMessageSchema = z.discriminatedUnion('type', [
  z.object({
    /** The page's script runs: the host sends what it queued, then a snapshot. */
    type: z.literal('ready'),
  }),
  z.object({
    /** Store the user's message and stream the answer as `chat/delta` frames. */
    type: z.literal('chat/send'),
    /** Request id chosen by the webview; the stream frames carry it. */
    id: requestId,
    /** What the user typed. */
    text: z.string().max(MAX_MESSAGE_CHARS),
  }),
  z.object({
    /** Answer the stored last user message again (after an error), without storing it twice. */
    type: z.literal('chat/retry'),
    /** New request id for the retried request; the stream frames carry it. */
    id: requestId,
  }),
  z.object({
    /** Stop a running request; the partial answer is kept. */
    type: z.literal('chat/abort'),
    /** Id of the request to stop. */
    id: requestId,
  }),
  z.object({
    /** Ask for the page of turns before `beforeId`; answered with a `reply` holding a `TurnPage`. */
    type: z.literal('thread/loadOlder'),
    /** Request id; the reply carries it. */
    id: requestId,
    /** The id of the oldest turn the webview holds; the reply holds turns older than it. */
    beforeId: rowId,
  }),
  z.object({
    /** Find `query` in the whole thread, not only the loaded pages; answered with a `reply` holding a `FindResult`. */
    type: z.literal('thread/find'),
    /** Request id; the reply carries it. */
    id: requestId,
    /** The thread the find bar searches (the one the webview shows). */
    threadId: z.string().min(1).max(200),
    /** What the user typed in the find bar; any text is a valid query. */
    query: z.string().max(MAX_FIND_CHARS),
  }),
  z.object({
    /**
     * Ask the question of turn `turnId` again with new text: a new version of that turn, whose answer
     * streams as `chat/delta` frames with `id`. The old question and what followed it stay as the other version.
     */
    type: z.literal('turn/edit'),
    /** Request id chosen by the webview; the stream frames carry it. */
    id: requestId,
    /** The turn whose question is edited (its first row id). */
    turnId: rowId,
    /** The edited question; empty text is refused. */
    text: z.string().max(MAX_MESSAGE_CHARS),
    /** The snapshot's `lastRowId` the edit was made on; a thread changed since refuses it. */
    expectedLastRowId: rowId.optional(),
  }),
  z.object({
    /** Answer the question of turn `turnId` again: a new version of its answer, streamed with `id`. */
    type: z.literal('turn/regenerate'),
    /** Request id chosen by the webview; the stream frames carry it. */
    id: requestId,
    /** The turn whose answer is regenerated (its first row id). */
    turnId: rowId,
    /** The snapshot's `lastRowId` the request was made on; a thread changed since refuses it. */
    expectedLastRowId: rowId.optional(),
  }),
  z.object({
    /** Show the previous or next version of turn `turnId` (and everything that followed it). */
    type: z.literal('turn/switchVersion'),
    /** The turn whose version switcher was pressed (its first row id). */
    turnId: rowId,
    /** Which way to go from the version shown. */
    direction: z.enum(['previous', 'next']),
    /** The snapshot's `lastRowId` the switch was made on; a thread changed since refuses it. */
    expectedLastRowId: rowId.optional(),
  }),
  z.object({
    /** Start a new thread with this thread's history up to and including turn `turnId`, and show it. */
    type: z.literal('thread/fork'),
    /** The last turn the fork keeps (its first row id). */
    turnId: rowId,
  }),
  z.object({
    /** Insert a code block at the cursor of the active editor. */
    type: z.literal('code/insert'),
    /** The code block's text. */
    code: z.string().max(MAX_CODE_CHARS),
  }),
  z.object({
    /** Copy a code block to the clipboard. */
    type: z.literal('code/copy'),
    /** The code block's text. */
    code: z.string().max(MAX_CODE_CHARS),
  }),
  z.object({
    /** The setup card opened: which local servers (Ollama, LM Studio) answer; replied with a `SetupDetected`. */
    type: z.literal('setup/detect'),
    /** Request id; the reply carries it. */
    id: requestId,
  }),
  z.object({
    /** The models of the server at `baseUrl` (with the key saved for its origin); replied with a `SetupModels`. */
    type: z.literal('setup/listModels'),
    /** Request id; the reply carries it. */
    id: requestId,
    /** What the user typed as the server's base URL. */
    baseUrl: z.string().max(MAX_URL_CHARS),
  }),
  z.object({
    /**
     * Ask the user for the key of `baseUrl`'s server in VS Code's own password box (the key never
     * passes through the webview) and save it for that origin; replied with a `SetupKey`.
     */
    type: z.literal('setup/enterKey'),
    /** Request id; the reply carries it. */
    id: requestId,
    /** The server the key is for. */
    baseUrl: z.string().max(MAX_URL_CHARS),
  }),
  z.object({
    /** Use this server and model: writes `sessionChat.baseUrl`, `model` and `api`; replied with a `SetupKey`. */
    type: z.literal('setup/apply'),
    /** Request id; the reply carries it. */
    id: requestId,
    /** The server's base URL. */
    baseUrl: z.string().min(1).max(MAX_URL_CHARS),
    /** The model name. */
    model: z.string().min(1).max(500),
    /** The wire API the server speaks. */
    api: z.enum(['responses', 'chat-completions']),
  }),
  z.object({
    /** Use this model of VS Code's Language Model API: writes `sessionChat.modelSource` and `model`; replied with a `SetupDone`. */
    type: z.literal('setup/useVscodeModel'),
    /** Request id; the reply carries it. */
    id: requestId,
    /** The model's id (`LanguageModelChat.id`), from `SetupDetected.vscodeModels`. */
    model: z.string().min(1).max(500),
  }),
  z.object({
    /** The user answered a tool call's approval: allow it, deny it, or always allow that tool in this workspace. */
    type: z.literal('tool/answer'),
    /** The call's id (`Snapshot.approval.callId`). */
    callId: z.string().min(1).max(MAX_ID_CHARS),
    decision: z.enum(['allow', 'deny', 'always']),
  }),
  z.object({
    /** Remove an attachment from the message box before sending. */
    type: z.literal('attachment/remove'),
    /** `PendingAttachment.id`. */
    id: z.string().min(1).max(MAX_ID_CHARS),
  }),
  z.object({
    /** `#` in the message box: the workspace files whose path contains `query`; answered with a `reply`. */
    type: z.literal('attachment/findFiles'),
    id: requestId,
    query: z.string().max(500),
  }),
  z.object({
    /** Attach a workspace file chosen from the `#` completion. */
    type: z.literal('attachment/addFile'),
    /** Workspace-relative path, as `attachment/findFiles` listed it. */
    path: z.string().min(1).max(4096),
  }),
  z.object({
    /** The agent picker: the agent the next messages go to (a message starting with `@name` still picks its own). */
    type: z.literal('agent/select'),
    /** An agent's name; '' = the default agent. */
    name: z.string().max(200),
  }),
  z.object({
    /** One of the panel's buttons was pressed. */
    type: z.literal('command/run'),
    /** Which one; runs the matching `sessionChat.*` command. */
    command: panelCommandSchema,
  }),
]);
export type WebviewMessage = z.infer<typeof webviewMessageSchema>;
export type WebviewMessageType = WebviewMessage['type'];

/** Every message type the webview may send; the host has a handler for each. */
export const WEBVIEW_MESSAGE_TYPES: readonly WebviewMessageType[] = webviewMessageSchema.options.map((option) => option.shape.type.value);

// ---------------------------------------------------------------- requests and replies

/** The matches of a `thread/find`, the value of its reply. */
export const findResultSchema = z.object({
  /** Row ids of the thread's items that match, oldest first (see `ViewEntry.rowId`). */
  rowIds: z.array(rowId),
});
export type FindResult = z.infer<typeof findResultSchema>;

/** A local server the setup card found answering, with its models. */
export const localServerSchema = z.object({
  /** "Ollama" or "LM Studio". */
  name: z.string(),
  /** Its base URL, e.g. `http://127.0.0.1:11434/v1`. */
  baseUrl: z.string(),
  /** The models it lists (may be empty: nothing pulled or loaded yet). */
  models: z.array(z.string()),
});

/** A chat model of VS Code's Language Model API (Copilot, or another extension's), as the setup card offers it. */
export const vscodeModelSchema = z.object({
  /** `LanguageModelChat.id`, what `sessionChat.model` holds for this source. */
  id: z.string(),
  /** Its name for people, e.g. "GPT-4o". */
  name: z.string(),
  /** Vendor and family, e.g. "copilot · gpt-4o". */
  description: z.string(),
});
export type VscodeModel = z.infer<typeof vscodeModelSchema>;

/** The reply to `setup/detect`: the local servers that answered, and VS Code's own models. */
export const setupDetectedSchema = z.object({
  /** Only those that answered within the probe's short timeout. */
  servers: z.array(localServerSchema),
  /** The models of VS Code's Language Model API (absent or empty: none; no key or server needed for these). */
  vscodeModels: z.array(vscodeModelSchema).optional(),
});
export type SetupDetected = z.infer<typeof setupDetectedSchema>;

/** The reply to `setup/listModels`. */
export const setupModelsSchema = z.object({
  /** The models the server lists, sorted; empty when it could not be asked. */
  models: z.array(z.string()),
  /** A key is saved for this server's origin. */
  hasKey: z.boolean(),
  /** Why the list could not be read, in words, with what fixes it. */
  problem: z
    .object({
      /** `needsKey` (401/403: Enter API Key fixes it), `unreachable` (offline, refused, DNS), `wrongPath` (404), `other`. */
      kind: z.enum(['needsKey', 'unreachable', 'wrongPath', 'invalidUrl', 'other']),
      /** Words for the card. */
      message: z.string(),
    })
    .optional(),
});
export type SetupModels = z.infer<typeof setupModelsSchema>;

/** The reply to `setup/enterKey` and `setup/apply`. */
export const setupDoneSchema = z.object({
  /** The key was saved / the settings were written (false: the user cancelled, or nothing to do). */
  done: z.boolean(),
});
export type SetupDone = z.infer<typeof setupDoneSchema>;

/** The requests answered by one `reply`, each with the schema of its reply's value. */
export const replyValueSchemas = {
  'thread/loadOlder': turnPageSchema,
  'thread/find': findResultSchema,
  'setup/detect': setupDetectedSchema,
  'setup/listModels': setupModelsSchema,
  'setup/enterKey': setupDoneSchema,
  'setup/apply': setupDoneSchema,
  'setup/useVscodeModel': setupDoneSchema,
  'attachment/findFiles': z.object({ files: z.array(z.string()) }),
} as const satisfies Partial<Record<WebviewMessageType, z.ZodType>>;

/**
 * Each request type mapped to `[request, reply value]`, as Continue's `"history/load": [Request,
 * Response]`: the webview awaits a `ReplyValue<T>` for a `RequestOf<T>`, the host must answer with one.
 */
export type RequestMap = {
  [T in keyof typeof replyValueSchemas]: [request: Extract<WebviewMessage, { type: T }>, value: z.infer<(typeof replyValueSchemas)[T]>];
};
export type RequestType = keyof RequestMap;
export type RequestOf<T extends RequestType> = RequestMap[T][0];
export type ReplyValue<T extends RequestType> = RequestMap[T][1];

type ReplyValueSchema = (typeof replyValueSchemas)[RequestType];

const replyOkSchema = z.object({
  /** The answer to one request. */
  type: z.literal('reply'),
  /** The request's id. */
  id: requestId,
  /** The request succeeded. */
  ok: z.literal(true),
  /** What it asked for: a `ReplyValue<T>` for a request of type T. */
  value: z.union(Object.values(replyValueSchemas) as [ReplyValueSchema, ...ReplyValueSchema[]]),
});

const replyErrorSchema = z.object({
  /** The answer to one request. */
  type: z.literal('reply'),
  /** The request's id. */
  id: requestId,
  /** The request failed. */
  ok: z.literal(false),
  /** Why, in words for the log (the webview shows no raw errors). */
  error: z.string(),
});
export type ReplyError = z.infer<typeof replyErrorSchema>;

/** The reply to a request of type T: its typed value, or an error. */
export type Reply<T extends RequestType = RequestType> = (Omit<z.infer<typeof replyOkSchema>, 'value'> & { value: ReplyValue<T> }) | ReplyError;

// ---------------------------------------------------------------- host -> webview

/** Messages from the host to the webview. */
export const hostMessageSchema = z.discriminatedUnion('type', [
  z.object({
    /** Everything the panel shows; replaces the previous snapshot. */
    type: z.literal('thread/snapshot'),
    /** The state to render. */
    snapshot: snapshotSchema,
  }),
  z.discriminatedUnion('ok', [replyOkSchema, replyErrorSchema]),
  z.object({
    /** More text of a running answer. */
    type: z.literal('chat/delta'),
    /** The request id of the `chat/send`, `chat/retry`, `turn/edit` or `turn/regenerate` being answered. */
    id: requestId,
    /** Text to append to the streaming answer. */
    delta: z.string(),
  }),
  z.object({
    /** The answer ended; a snapshot with the stored answer follows. */
    type: z.literal('chat/done'),
    /** The request id of the answer. */
    id: requestId,
    /** The user pressed Stop; the partial answer was kept. */
    stopped: z.boolean(),
  }),
  z.object({
    /** The request failed; the user's message stays stored. */
    type: z.literal('chat/error'),
    /** The request id that failed. */
    id: requestId,
    /** What to show, with the actions that can fix it. */
    error: errorViewSchema,
    /** The message was never stored (the history's server is away): the panel puts its text back in the message box. */
    unsent: z.boolean().optional(),
  }),
  z.object({
    /** Put the keyboard focus in the message box (the Open Chat command). */
    type: z.literal('ui/focusInput'),
  }),
  z.object({
    /**
     * Show one stored message (a Search History result): load older pages until it is there, scroll
     * to it, mark it `aria-current` and announce it. Applies once a snapshot of `threadId` is shown.
     */
    type: z.literal('thread/reveal'),
    /** The thread that holds the message (the host switches to it first). */
    threadId: z.string(),
    /** The message's row id. */
    rowId,
    /** The row id of the first item of its turn. */
    turnId: rowId,
  }),
  z.object({
    /** Open the find bar and put the cursor in it (the Find in Thread command). */
    type: z.literal('ui/openFind'),
  }),
]);
export type HostMessage = z.infer<typeof hostMessageSchema>;

// ---------------------------------------------------------------- webview state

/** What the webview keeps in `vscode.setState`: only its own UI state, never history. */
export const webviewStateSchema = z.object({
  /** The unsent text in the message box. */
  draft: z.string(),
  /** Distance from the bottom of the message list in pixels (0 = stuck to the newest). */
  scrollFromBottom: z.number().min(0),
  /** Thread the state belongs to; the panel serializer restores this thread after a reload. */
  threadId: z.string().optional(),
});
export type WebviewState = z.infer<typeof webviewStateSchema>;
