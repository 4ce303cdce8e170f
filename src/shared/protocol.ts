/**
 * The one protocol between the chat webview and the extension host. Types only: both bundles
 * import it with `import type`. The host is the single source of truth; the webview renders the
 * latest snapshot plus stream deltas and keeps only its draft and scroll position.
 *
 * Conventions (see STYLE.md): message names read `area/verb`; requests carry an `id`; replies are
 * `{ ok: true, value }` or `{ ok: false, error }`; a stream is many `chat/delta` frames then one
 * `chat/done` (or `chat/error`) with the same `id`; `chat/abort` names the `id` to stop.
 */

/** One rendered entry of a turn. Tool calls are summarised by the host, never shown as raw JSON. */
export type ViewEntry =
  | {
      kind: 'user';
      /** Plain text the user typed. */
      text: string;
    }
  | {
      kind: 'assistant';
      /** Markdown; the webview renders it sanitized. */
      text: string;
      /** True when the answer was stopped or cut off before it finished. */
      partial?: boolean;
    }
  | {
      kind: 'tool';
      /** Function name the model called. */
      name: string;
      /** Arguments, pretty-printed and shortened for display. */
      args: string;
      /** Output, shortened for display; absent while the call has no output. */
      output?: string;
    }
  | {
      kind: 'reasoning';
      /** Reasoning summary text, if the item carried one. */
      text: string;
    }
  | {
      kind: 'note';
      /** One line describing an item type the panel does not render specially. */
      text: string;
    };

/** A user message and every item the model produced for it. */
export interface ViewTurn {
  /** Position of the turn in its thread, 0 = oldest. Stable while the thread only grows. */
  index: number;
  entries: ViewEntry[];
}

/** What the panel shows of a thread. */
export interface ThreadView {
  /** Thread id (= Agents SDK session id). */
  id: string;
  title: string;
}

/** A request the host is still answering (shown as a streaming answer with a Stop button). */
export interface StreamView {
  /** Request id of the running `chat/send` or `chat/retry`. */
  id: string;
  /** Text streamed so far. */
  text: string;
}

/** An error the user can act on, shown under the last message. */
export interface ErrorView {
  /** Words a user can act on, e.g. "The server rejected the API key (401)." */
  message: string;
  /** Buttons to offer. `retry` re-sends the stored user message without storing it again. */
  actions: ErrorAction[];
}

export type ErrorAction = 'retry' | 'setApiKey' | 'openSettings' | 'selectModel';

/** The full state the webview renders; sent after every change the host makes. */
export interface Snapshot {
  thread: ThreadView;
  /** The newest page of turns, oldest first. */
  turns: ViewTurn[];
  /** Older turns exist: ask with `thread/loadOlder`. */
  hasOlder: boolean;
  canUndo: boolean;
  canRedo: boolean;
  /** The running request, if any (also when the panel is re-opened mid-stream). */
  stream?: StreamView;
  /** The last failed request of this thread, until the next send, retry or undo. */
  error?: ErrorView;
  /** Model name shown in the footer. */
  model: string;
}

/** Messages from the webview to the host. Untrusted: the host validates every one. */
export type WebviewMessage =
  | { type: 'ready' }
  | {
      type: 'chat/send';
      /** Request id chosen by the webview; the stream frames carry it. */
      id: string;
      text: string;
    }
  | {
      type: 'chat/retry';
      /** New request id for the retried request. */
      id: string;
    }
  | {
      type: 'chat/abort';
      /** Id of the request to stop. */
      id: string;
    }
  | {
      type: 'thread/loadOlder';
      /** Request id; answered with a `reply`. */
      id: string;
      /** Index of the oldest turn the webview has; the reply holds turns before it. */
      beforeIndex: number;
    }
  | {
      type: 'code/insert';
      /** Code block text to insert at the cursor of the active editor. */
      code: string;
    }
  | {
      type: 'code/copy';
      code: string;
    }
  | {
      type: 'command/run';
      /** One of the panel's buttons; runs the matching `sessionChat.*` command. */
      command: PanelCommand;
    };

export type PanelCommand =
  | 'undoTurn'
  | 'redoTurn'
  | 'clearSession'
  | 'newThread'
  | 'switchThread'
  | 'setApiKey'
  | 'selectModel'
  | 'openSettings';

/** A page of older turns, the value of the reply to `thread/loadOlder`. */
export interface OlderTurns {
  turns: ViewTurn[];
  hasOlder: boolean;
}

/** Messages from the host to the webview. */
export type HostMessage =
  | { type: 'thread/snapshot'; snapshot: Snapshot }
  | { type: 'reply'; id: string; ok: true; value: OlderTurns }
  | { type: 'reply'; id: string; ok: false; error: string }
  | {
      type: 'chat/delta';
      id: string;
      /** Text to append to the streaming answer. */
      delta: string;
    }
  | {
      type: 'chat/done';
      id: string;
      /** The user pressed Stop; the partial answer was kept. */
      stopped: boolean;
    }
  | { type: 'chat/error'; id: string; error: ErrorView }
  | {
      type: 'ui/focusInput';
    };

/** What the webview keeps in `vscode.setState`: only its own UI state, never history. */
export interface WebviewState {
  draft: string;
  /** Distance from the bottom of the message list in pixels (0 = stuck to the newest). */
  scrollFromBottom: number;
  /** Thread the state belongs to; the panel serializer restores this thread after a reload. */
  threadId?: string;
}
