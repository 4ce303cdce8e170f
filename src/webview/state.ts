import type { ErrorView, HostMessage, OlderTurns, Snapshot, ViewTurn } from '../shared/protocol.ts';

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
}

/** Everything the panel renders, derived from host messages and the user's own actions. */
export interface ViewModel {
  /** The latest snapshot (thread, model, undo/redo state); undefined until the first one. */
  snapshot?: Snapshot;
  /** Turns shown, oldest first: the snapshot's page plus older pages loaded on scroll. */
  turns: ViewTurn[];
  hasOlder: boolean;
  stream?: LiveStream;
  error?: ErrorView;
  /** Id of the `thread/loadOlder` request in flight. */
  olderRequestId?: string;
  /** Loading older turns failed; do not ask again until the next snapshot. */
  olderFailed: boolean;
}

/** What can change the view model: a host message or something the user did. */
export type ViewEvent =
  | { type: 'host'; message: HostMessage }
  | { type: 'send'; id: string; text: string }
  | { type: 'retry'; id: string }
  | { type: 'abort' }
  | { type: 'loadOlder'; id: string };

export const initialViewModel: ViewModel = { turns: [], hasOlder: false, olderFailed: false };

/** True while a request runs: Send is disabled and Stop is shown. */
export function isBusy(model: ViewModel): boolean {
  return model.stream !== undefined && !model.stream.finished;
}

/** Index of the oldest turn shown, the `beforeIndex` of the next `thread/loadOlder`. */
export function oldestIndex(model: ViewModel): number | undefined {
  return model.turns[0]?.index;
}

/** Pure reducer: returns a new view model, never mutates the old one. */
export function reduce(model: ViewModel, event: ViewEvent): ViewModel {
  switch (event.type) {
    case 'host':
      return reduceHost(model, event.message);
    case 'send':
      return { ...model, error: undefined, stream: { id: event.id, text: '', userText: event.text, confirmed: false, finished: false } };
    case 'retry':
      return { ...model, error: undefined, stream: { id: event.id, text: '', confirmed: false, finished: false } };
    case 'abort':
      // A request the host never acknowledged has nothing to wait for.
      return model.stream && !model.stream.confirmed ? { ...model, stream: undefined } : model;
    case 'loadOlder':
      return { ...model, olderRequestId: event.id };
  }
}

function reduceHost(model: ViewModel, message: HostMessage): ViewModel {
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
    case 'reply':
      if (message.id !== model.olderRequestId) return model;
      if (!message.ok) return { ...model, olderRequestId: undefined, olderFailed: true };
      return { ...model, olderRequestId: undefined, ...prependOlder(model.turns, message.value) };
    case 'ui/focusInput':
      return model;
  }
}

function matchesLive(model: ViewModel, id: string): boolean {
  return model.stream !== undefined && !model.stream.finished && model.stream.id === id;
}

function applySnapshot(model: ViewModel, snapshot: Snapshot): ViewModel {
  const sameThread = model.snapshot?.thread.id === snapshot.thread.id;
  const page = sameThread ? keepLoadedOlder(model, snapshot) : { turns: snapshot.turns, hasOlder: snapshot.hasOlder };
  const stream = nextStream(model.stream, snapshot, sameThread);
  // While our own request waits for the host, an older snapshot's error is already out of date.
  const waiting = stream !== undefined && !stream.confirmed;
  return {
    snapshot,
    ...page,
    stream,
    error: waiting ? undefined : snapshot.error,
    olderRequestId: sameThread ? model.olderRequestId : undefined,
    olderFailed: false,
  };
}

function nextStream(current: LiveStream | undefined, snapshot: Snapshot, sameThread: boolean): LiveStream | undefined {
  if (snapshot.stream) return { id: snapshot.stream.id, text: snapshot.stream.text, confirmed: true, finished: false };
  // The snapshot may have left the host before our send reached it: keep showing the request.
  if (current && sameThread && !current.confirmed) return current;
  return undefined;
}

/**
 * A snapshot carries only the newest page. Older pages the user already scrolled to stay,
 * as long as they join the page without a gap; otherwise the snapshot wins alone.
 */
function keepLoadedOlder(model: ViewModel, snapshot: Snapshot): { turns: ViewTurn[]; hasOlder: boolean } {
  const first = snapshot.turns[0];
  if (!snapshot.hasOlder || !first) return { turns: snapshot.turns, hasOlder: snapshot.hasOlder };
  const older = model.turns.filter((turn) => turn.index < first.index);
  if (older.at(-1)?.index !== first.index - 1) return { turns: snapshot.turns, hasOlder: snapshot.hasOlder };
  return { turns: [...older, ...snapshot.turns], hasOlder: model.hasOlder };
}

/** Puts a page of older turns before the shown ones, skipping any turn already shown. */
export function prependOlder(turns: ViewTurn[], page: OlderTurns): { turns: ViewTurn[]; hasOlder: boolean } {
  const oldest = turns[0]?.index ?? Number.POSITIVE_INFINITY;
  const seen = new Set<number>();
  const older = page.turns
    .filter((turn) => turn.index < oldest && !seen.has(turn.index) && seen.add(turn.index))
    .sort((a, b) => a.index - b.index);
  return { turns: [...older, ...turns], hasOlder: page.hasOlder };
}
