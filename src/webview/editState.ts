import type { ViewTurn } from '../shared/protocol.ts';
import type { ViewModel } from './state.ts';

/** A question open for editing in place: its turn and the text typed so far. */
export interface EditState {
  turnId: number;
  text: string;
}

/** What the user does to a turn that changes what the panel shows before the host answers. */
export type TurnEvent =
  /** "Edit message": the question's text opens in a box. */
  | { type: 'editOpen'; turnId: number; text: string }
  | { type: 'editChange'; text: string }
  /** "Cancel" or Escape: the question shows as it was. */
  | { type: 'editCancel' }
  /**
   * "Send edit" (with the new `text`) or "Regenerate answer" (without): the turn is asked again as
   * request `id`. Until the host's snapshot arrives, what it will replace is no longer shown.
   */
  | { type: 'rerun'; id: string; turnId: number; text?: string };

/** Applies a {@link TurnEvent}; pure, like the rest of the reducer. */
export function reduceTurnEvent(model: ViewModel, event: TurnEvent): ViewModel {
  switch (event.type) {
    case 'editOpen':
      // Opening the box that is already open keeps what was typed in it.
      if (model.editing?.turnId === event.turnId) return model;
      return { ...model, current: undefined, editing: { turnId: event.turnId, text: event.text } };
    case 'editChange':
      return model.editing ? { ...model, editing: { ...model.editing, text: event.text } } : model;
    case 'editCancel':
      return model.editing ? { ...model, editing: undefined } : model;
    case 'rerun':
      return rerun(model, event);
  }
}

/**
 * An edit shows only the turns before the edited one and the new question; a regeneration keeps the
 * question and drops its answer and what followed. The next snapshot shows the stored truth.
 */
function rerun(model: ViewModel, event: Extract<TurnEvent, { type: 'rerun' }>): ViewModel {
  const before = model.turns.filter((turn) => turn.id < event.turnId);
  const turn = model.turns.find((candidate) => candidate.id === event.turnId);
  const question = turn && event.text === undefined ? [{ ...turn, entries: turn.entries.filter((entry) => entry.kind === 'user'), versions: undefined }] : [];
  const stream = { id: event.id, text: '', confirmed: false, finished: false, ...(event.text === undefined ? {} : { userText: event.text }) };
  return { ...model, turns: [...before, ...question], current: undefined, error: undefined, editing: undefined, stream };
}

/** An open edit survives a snapshot while its turn is still shown; it closes when the turn went. */
export function keepEditing(editing: EditState | undefined, turns: readonly ViewTurn[]): EditState | undefined {
  return editing && turns.some((turn) => turn.id === editing.turnId) ? editing : undefined;
}
