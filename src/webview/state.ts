import type { ErrorView, HostMessage, Snapshot, TurnPage, ViewTurn } from '../shared/protocol.ts';
import { currentMatch, findCount, initialFind, reduceFind, type FindEvent, type FindState } from './findState.ts';
import { revealStep, type RevealStep, type RevealTarget } from './reveal.ts';
import { keepEditing, reduceTurnEvent, type EditState, type TurnEvent } from './editState.ts';

/** The answer being streamed into the panel, from our own send or from a snapshot. */
export interface LiveStream {
  /** Request id the `chat/delta` frames carry. */
  id: string;
  /** Text streamed so far. */
  text: string;
  /** What the user typed, shown until a snapshot with this stream holds the stored user message (absent for Retry). */
  userText?: string;
  /** The host has acknowledged the request (a snapshot or a frame carried its id). */
  confirmed: boolean;
  /** `chat/done` arrived; the text stays until the next snapshot replaces it. */
  finished: boolean;
  /** The agent answering, as the host's snapshot names it. */
  agent?: string;
}

/** Everything the panel renders, derived from host messages and the user's own actions. */
export interface ViewModel {
  /** The latest snapshot (thread, model, undo/redo state); undefined until the first one. */
  snapshot?: Snapshot;
  /** Turns shown, oldest first (by id): the snapshot's page plus older pages loaded on scroll. */
  turns: ViewTurn[];
  /** Turns older than `turns` exist. */
  hasOlder: boolean;
  /** Id of the turn just before `turns[0]`, which the next older page must end with; present exactly when `hasOlder`. */
  olderId?: number;
  stream?: LiveStream;
  error?: ErrorView;
  /** Id of the `thread/loadOlder` request in flight. */
  olderRequestId?: string;
  /** Loading older turns failed, or gave a page that does not join; do not ask again until the next snapshot. */
  olderFailed: boolean;
  /** The find bar. */
  find: FindState;
  /** A message to bring on screen once its thread and page are there. */
  reveal?: RevealTarget;
  /** Row id of the message marked `aria-current` (the one last revealed), until the user's next action. */
  current?: number;
  /** The question open for editing in place, if any. */
  editing?: EditState;
}

/** Host messages the reducer applies; a `reply` goes to the request that waits for it (see requests.ts). */
export type StateMessage = Exclude<HostMessage, { type: 'reply' | 'ui/focusInput' | 'ui/openFind' }>;

/** What can change the view model: a host message or something the user did. */
export type ViewEvent =
  | { type: 'host'; message: StateMessage }
  | { type: 'send'; id: string; text: string }
  | { type: 'retry'; id: string }
  | { type: 'abort' }
  | { type: 'loadOlder'; id: string }
  | { type: 'olderLoaded'; id: string; page: TurnPage }
  | { type: 'olderFailed'; id: string }
  /** The pending reveal is on screen (`rowId` is the row marked current), or could not be (`undefined`). */
  | { type: 'revealed'; rowId: number | undefined }
  /** A key press or click: the mark of the last revealed message goes. */
  | { type: 'userAction' }
  | TurnEvent
  | FindEvent;

export const initialViewModel: ViewModel = { turns: [], hasOlder: false, olderFailed: false, find: initialFind };

/** True while a request runs: Send is disabled and Stop is shown. */
export function isBusy(model: ViewModel): boolean {
  return model.stream !== undefined && !model.stream.finished;
}

/**
 * The "Set up a model" card shows when the host found no usable model, or the last request failed
 * in a way setup fixes (no key, server not there, wrong address); never over a running answer.
 */
export function needsSetup(model: ViewModel): boolean {
  if (isBusy(model)) return false;
  return model.snapshot?.setup !== undefined || model.error?.actions.includes('setupModel') === true;
}

/** The question of the newest turn, for Up in an empty message box (edit it again). */
export function lastQuestionTurn(model: ViewModel): number | undefined {
  for (let index = model.turns.length - 1; index >= 0; index--) {
    const turn = model.turns[index];
    if (turn?.entries.some((entry) => entry.kind === 'user')) return turn.id;
  }
  return undefined;
}

/** Id of the oldest turn shown, the `beforeId` of the next `thread/loadOlder`. */
export function oldestId(model: ViewModel): number | undefined {
  return model.turns[0]?.id;
}

/** What a pending reveal needs next; undefined when none is pending. */
export function nextRevealStep(model: ViewModel): RevealStep | undefined {
  if (!model.reveal) return undefined;
  return revealStep(model.reveal, {
    threadId: model.snapshot?.thread.id,
    turns: model.turns,
    hasOlder: model.hasOlder,
    loading: model.olderRequestId !== undefined,
    loadFailed: model.olderFailed,
  });
}

/** Pure reducer: returns a new view model, never mutates the old one. */
export function reduce(model: ViewModel, event: ViewEvent): ViewModel {
  switch (event.type) {
    case 'host':
      return reduceHost(model, event.message);
    case 'send':
      return { ...model, current: undefined, error: undefined, stream: { id: event.id, text: '', userText: event.text, confirmed: false, finished: false } };
    case 'retry':
      return { ...model, error: undefined, stream: { id: event.id, text: '', confirmed: false, finished: false } };
    case 'abort':
      // A request the host never acknowledged has nothing to wait for.
      return model.stream && !model.stream.confirmed ? { ...model, stream: undefined } : model;
    case 'loadOlder':
      return { ...model, olderRequestId: event.id };
    case 'olderLoaded': {
      if (event.id !== model.olderRequestId) return model;
      const joined = prependOlder(model, event.page);
      // A page that does not join was read from a history that changed meanwhile; the snapshot
      // the host sends after every change brings the truth, so wait for it rather than ask again.
      return joined ? { ...model, ...joined, olderRequestId: undefined } : { ...model, olderRequestId: undefined, olderFailed: true };
    }
    case 'olderFailed':
      return event.id === model.olderRequestId ? { ...model, olderRequestId: undefined, olderFailed: true } : model;
    case 'revealed':
      return { ...model, reveal: undefined, current: event.rowId };
    case 'userAction':
      return model.current === undefined ? model : { ...model, current: undefined };
    case 'editOpen':
    case 'editChange':
    case 'editCancel':
    case 'rerun':
      return reduceTurnEvent(model, event);
    default:
      return reduceFindEvent(model, event);
  }
}

/** A find event changes the bar; when it moves to another match, that match is revealed. */
function reduceFindEvent(model: ViewModel, event: FindEvent): ViewModel {
  const find = reduceFind(model.find, event);
  if (find === model.find) return model;
  const before = currentMatch(model.find);
  const match = currentMatch(find);
  const threadId = model.snapshot?.thread.id;
  const moved = event.type === 'findStep' || (event.type === 'findResult' && model.find.revealOnResult);
  if (match === undefined || threadId === undefined || !moved || (event.type === 'findResult' && match === before && model.current === match)) return { ...model, find };
  return { ...model, find, reveal: { threadId, rowId: match, label: findCount(find) } };
}

function reduceHost(model: ViewModel, message: StateMessage): ViewModel {
  switch (message.type) {
    case 'thread/snapshot':
      return applySnapshot(model, message.snapshot);
    case 'chat/delta':
      if (!matchesLive(model, message.id) || !model.stream) return model;
      return { ...model, stream: { ...model.stream, text: model.stream.text + message.delta, confirmed: true } };
    case 'chat/done':
      if (!matchesLive(model, message.id) || !model.stream) return model;
      return { ...model, stream: { ...model.stream, confirmed: true, finished: true } };
    case 'chat/error':
      if (!matchesLive(model, message.id)) return model;
      return { ...model, stream: undefined, error: message.error };
    case 'thread/reveal':
      return { ...model, current: undefined, reveal: { threadId: message.threadId, rowId: message.rowId, turnId: message.turnId, label: 'Found' } };
  }
}

function matchesLive(model: ViewModel, id: string): boolean {
  return model.stream !== undefined && !model.stream.finished && model.stream.id === id;
}

function applySnapshot(model: ViewModel, snapshot: Snapshot): ViewModel {
  const sameThread = model.snapshot?.thread.id === snapshot.thread.id;
  const page = sameThread ? keepLoadedOlder(model, snapshot) : pageOf(snapshot);
  const stream = nextStream(model.stream, snapshot, sameThread);
  // While our own request waits for the host, an older snapshot's error is already out of date.
  const waiting = stream !== undefined && !stream.confirmed;
  return {
    ...sameThread ? { find: model.find, reveal: model.reveal, current: model.current } : otherThread(model, snapshot.thread.id),
    snapshot,
    ...page,
    editing: sameThread ? keepEditing(model.editing, page.turns) : undefined,
    stream,
    error: waiting ? undefined : snapshot.error,
    // A page in flight still joins only if the turn it must end with is the same one.
    olderRequestId: sameThread && page.olderId === model.olderId ? model.olderRequestId : undefined,
    olderFailed: false,
  };
}

/**
 * Another thread is shown: its matches and mark are gone. A pending reveal waits for its own
 * thread (the host may post it just before that thread's snapshot), but one that was already
 * working in the thread being left is dropped.
 */
function otherThread(model: ViewModel, threadId: string): Pick<ViewModel, 'find' | 'reveal' | 'current'> {
  const target = model.reveal;
  const keep = target && (target.threadId === threadId || target.threadId !== model.snapshot?.thread.id);
  return { find: reduceFind(model.find, { type: 'findReset' }), reveal: keep ? target : undefined, current: undefined };
}

function nextStream(current: LiveStream | undefined, snapshot: Snapshot, sameThread: boolean): LiveStream | undefined {
  if (snapshot.stream) {
    // Without text, the snapshot trusts the deltas this page already holds for the same request.
    const held = current && sameThread && current.id === snapshot.stream.id ? current.text : '';
    const stream: LiveStream = { id: snapshot.stream.id, text: snapshot.stream.text ?? held, confirmed: true, finished: false };
    if (snapshot.stream.agent) stream.agent = snapshot.stream.agent;
    return stream;
  }
  // An answer the host could not store stays on screen, finished, until it is saved.
  if (snapshot.unsaved) return { id: 'unsaved', text: snapshot.unsaved.text, confirmed: true, finished: true };
  // The snapshot may have left the host before our send reached it: keep showing the request.
  if (current && sameThread && !current.confirmed) return current;
  return undefined;
}

/** The turns a view model shows, with what lies before them. */
export interface ShownTurns {
  turns: ViewTurn[];
  hasOlder: boolean;
  olderId?: number;
}

function pageOf(page: ShownTurns): ShownTurns {
  return { turns: orderedById(page.turns), hasOlder: page.hasOlder, olderId: page.olderId };
}

/** Turns oldest first by id, each id once (the first copy wins). */
function orderedById(turns: readonly ViewTurn[]): ViewTurn[] {
  const byId = new Map<number, ViewTurn>();
  for (const turn of turns) if (!byId.has(turn.id)) byId.set(turn.id, turn);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/**
 * A snapshot carries only the newest page. Older turns the user already scrolled to stay when
 * they join it exactly (the newest of them is the snapshot's `olderId`); otherwise the snapshot
 * wins alone. Ids are never reused, so the same id is the same stored turn.
 */
function keepLoadedOlder(model: ViewModel, snapshot: Snapshot): ShownTurns {
  const fresh = pageOf(snapshot);
  const joinId = snapshot.olderId;
  if (!snapshot.hasOlder || joinId === undefined) return fresh;
  const older = model.turns.filter((turn) => turn.id <= joinId);
  if (older.at(-1)?.id !== joinId) return fresh;
  return { turns: [...older, ...fresh.turns.filter((turn) => turn.id > joinId)], hasOlder: model.hasOlder, olderId: model.olderId };
}

/**
 * Puts a page of older turns before the shown ones, or returns undefined when the page does not
 * join them (its newest turn is not the `olderId` they expect). Turns are de-duplicated by id.
 */
export function prependOlder(shown: ShownTurns, page: TurnPage): ShownTurns | undefined {
  const oldest = shown.turns[0]?.id ?? Number.POSITIVE_INFINITY;
  const older = orderedById(page.turns.filter((turn) => turn.id < oldest));
  if (shown.olderId === undefined || older.at(-1)?.id !== shown.olderId) return undefined;
  return { turns: [...older, ...shown.turns], hasOlder: page.hasOlder, olderId: page.olderId };
}
