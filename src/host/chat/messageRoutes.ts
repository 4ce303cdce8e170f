import type { FindResult, PanelCommand, ReplyValue, RequestType, SetupDetected, SetupDone, SetupModels, TurnPage, WebviewMessage, WebviewMessageType } from '../../shared/protocol.ts';

/** What the webview's messages can ask of the host; `S` is the surface that sent one. */
export interface ChatActions<S> {
  /** The sender's page loaded: give it the current snapshot. */
  ready(surface: S): Promise<void>;
  send(text: string, requestId: string, surface: S): Promise<unknown>;
  retry(requestId: string, surface: S): Promise<unknown>;
  abort(requestId: string): void;
  loadOlder(beforeId: number): Promise<TurnPage>;
  /** The find bar's matches in the whole thread. */
  find(threadId: string, query: string): Promise<FindResult>;
  insertCode(code: string): Promise<unknown>;
  copyCode(code: string): Promise<unknown>;
  runCommand(command: PanelCommand): Promise<unknown>;
  /** Edit message: the turn's question asked again with `text`, answered as request `requestId`. */
  edit(turnId: number, text: string, requestId: string, expectedLastRowId: number | undefined, surface: S): Promise<unknown>;
  /** Regenerate answer, answered as request `requestId`. */
  regenerate(turnId: number, requestId: string, expectedLastRowId: number | undefined, surface: S): Promise<unknown>;
  switchVersion(turnId: number, direction: 'previous' | 'next', expectedLastRowId: number | undefined): Promise<unknown>;
  /** Fork thread from here. */
  fork(turnId: number): Promise<unknown>;
  /** The setup card: local servers that answer. */
  setupDetect(): Promise<SetupDetected>;
  /** The setup card: a server's models. */
  setupListModels(baseUrl: string): Promise<SetupModels>;
  /** The setup card: a key for `baseUrl`'s server, asked in VS Code's password box. */
  setupEnterKey(baseUrl: string): Promise<SetupDone>;
  /** The setup card: use this server and model. */
  setupApply(baseUrl: string, model: string, api: 'responses' | 'chat-completions'): Promise<SetupDone>;
  /** The setup card: use this model of VS Code's Language Model API. */
  setupUseVscodeModel(model: string): Promise<SetupDone>;
  /** The user answered a tool call's approval. */
  answerTool(callId: string, decision: 'allow' | 'deny' | 'always'): Promise<unknown>;
  /** Remove a waiting attachment. */
  removeAttachment(id: string): Promise<unknown>;
  /** `#` in the message box: files to offer. */
  findFiles(query: string): Promise<{ files: string[] }>;
  /** Attach a file chosen from the `#` completion. */
  addFile(path: string): Promise<unknown>;
  /** The agent picker chose the agent of the next messages ('' = the default agent). */
  selectAgent(name: string): Promise<unknown> | void;
  /** Answers a request of the surface (`reply`). */
  reply(surface: S, id: string, answer: { ok: true; value: ReplyValue<RequestType> } | { ok: false; error: string }): void;
}

type Route<S, K extends WebviewMessageType> = (actions: ChatActions<S>, surface: S, message: Extract<WebviewMessage, { type: K }>) => Promise<unknown> | void;

/**
 * One handler per webview message type. The mapped type makes a type without a handler a compile
 * error, and a unit test checks the table against the protocol's list at run time too.
 */
export const MESSAGE_ROUTES: { [K in WebviewMessageType]: Route<unknown, K> } = {
  ready: (actions, surface) => actions.ready(surface),
  'chat/send': (actions, surface, message) => actions.send(message.text, message.id, surface),
  'chat/retry': (actions, surface, message) => actions.retry(message.id, surface),
  'chat/abort': (actions, _surface, message) => actions.abort(message.id),
  'thread/loadOlder': (actions, surface, message) => answer(actions, surface, message.id, () => actions.loadOlder(message.beforeId), 'Could not load older messages.'),
  'thread/find': (actions, surface, message) => answer(actions, surface, message.id, () => actions.find(message.threadId, message.query), 'Could not search this thread.'),
  'code/insert': (actions, _surface, message) => actions.insertCode(message.code),
  'code/copy': (actions, _surface, message) => actions.copyCode(message.code),
  'command/run': (actions, _surface, message) => actions.runCommand(message.command),
  'turn/edit': (actions, surface, message) => actions.edit(message.turnId, message.text, message.id, message.expectedLastRowId, surface),
  'turn/regenerate': (actions, surface, message) => actions.regenerate(message.turnId, message.id, message.expectedLastRowId, surface),
  'turn/switchVersion': (actions, _surface, message) => actions.switchVersion(message.turnId, message.direction, message.expectedLastRowId),
  'thread/fork': (actions, _surface, message) => actions.fork(message.turnId),
  'setup/detect': (actions, surface, message) => answer(actions, surface, message.id, () => actions.setupDetect(), 'Could not look for local servers.'),
  'setup/listModels': (actions, surface, message) => answer(actions, surface, message.id, () => actions.setupListModels(message.baseUrl), 'Could not list the models.'),
  'setup/enterKey': (actions, surface, message) => answer(actions, surface, message.id, () => actions.setupEnterKey(message.baseUrl), 'Could not save the key.'),
  'setup/apply': (actions, surface, message) => answer(actions, surface, message.id, () => actions.setupApply(message.baseUrl, message.model, message.api), 'Could not write the settings.'),
  'setup/useVscodeModel': (actions, surface, message) => answer(actions, surface, message.id, () => actions.setupUseVscodeModel(message.model), 'Could not write the settings.'),
  'tool/answer': (actions, _surface, message) => actions.answerTool(message.callId, message.decision),
  'attachment/remove': (actions, _surface, message) => actions.removeAttachment(message.id),
  'attachment/findFiles': (actions, surface, message) => answer(actions, surface, message.id, () => actions.findFiles(message.query), 'Could not list the files.'),
  'attachment/addFile': (actions, _surface, message) => actions.addFile(message.path),
  'agent/select': (actions, _surface, message) => actions.selectAgent(message.name),
};

/** Answers request `id` with what `value` gives, or with `failure`; a failure is rethrown for the log. */
async function answer<S, T extends RequestType>(actions: ChatActions<S>, surface: S, id: string, value: () => Promise<ReplyValue<T>>, failure: string): Promise<void> {
  try {
    actions.reply(surface, id, { ok: true, value: await value() });
  } catch (error) {
    actions.reply(surface, id, { ok: false, error: failure });
    throw error;
  }
}

/** Routes one validated message to its handler. */
export function routeMessage<S>(actions: ChatActions<S>, surface: S, message: WebviewMessage): Promise<unknown> | void {
  const route = MESSAGE_ROUTES[message.type] as Route<S, WebviewMessageType>;
  return route(actions, surface, message as never);
}
