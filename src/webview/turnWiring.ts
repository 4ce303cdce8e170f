import type { WebviewMessage } from '../shared/protocol.ts';
import { isSendKey } from './composer.ts';
import type { ViewEvent, ViewModel } from './state.ts';
import type { TurnAction } from './turnActions.ts';

export interface TurnWiringOptions {
  log: HTMLElement;
  post(message: WebviewMessage): void;
  newId(): string;
  dispatch(event: ViewEvent): void;
  model(): ViewModel;
  /** After sending an edit or forking, the cursor goes back to the message box. */
  focusComposer(): void;
}

/** Where the focus goes once the log shows what an action changed. */
interface PendingFocus {
  /** Position of the turn among the shown turns (a switch may change its id, never its place). */
  position: number;
  /** The button to focus there (`previous`/`next` fall back to each other at the ends), or the edit box. */
  target: TurnAction | 'editInput';
  /** Wait for a snapshot other than this one (the host's answer to the action). */
  after?: unknown;
}

/** The message actions' wiring; call `rendered()` after every render, so focus lands where it should. */
export interface TurnWiring {
  rendered(): void;
  /** Opens the question of turn `turnId` for editing, as its Edit message button does; false when it cannot be. */
  edit(turnId: number): boolean;
}

/**
 * One click listener on the log serves every message's buttons (Edit message, Regenerate answer,
 * Previous/Next version, Fork thread from here) and the edit box's Send edit and Cancel; keys in
 * the edit box follow the message box (Enter sends, Shift+Enter makes a new line) and Escape
 * cancels. Focus stays where a keyboard user expects it after each re-render.
 */
export function wireTurns(options: TurnWiringOptions): TurnWiring {
  const { log, post, dispatch, model } = options;
  let pending: PendingFocus | undefined;
  let composing = false;

  const turnOf = (node: Element): { element: HTMLElement; id: number; position: number } | undefined => {
    const element = node.closest<HTMLElement>('.turn');
    const id = Number(element?.dataset.turnId);
    if (!element || !Number.isSafeInteger(id)) return undefined;
    return { element, id, position: Array.prototype.indexOf.call(log.querySelectorAll('.turn'), element) };
  };
  const expected = (): { expectedLastRowId?: number } => {
    const last = model().snapshot?.lastRowId;
    return last === undefined ? {} : { expectedLastRowId: last };
  };

  const sendEdit = (turnId: number): void => {
    const text = model().editing?.text ?? '';
    // The box refuses empty text: Send edit is disabled and Enter does nothing.
    if (model().editing?.turnId !== turnId || text.trim() === '') return;
    const id = options.newId();
    dispatch({ type: 'rerun', id, turnId, text });
    post({ type: 'turn/edit', id, turnId, text, ...expected() });
    options.focusComposer();
  };

  const act = (action: TurnAction, turn: { id: number; position: number; element: HTMLElement }): void => {
    switch (action) {
      case 'edit': {
        const question = model().turns.find((shown) => shown.id === turn.id)?.entries.find((entry) => entry.kind === 'user');
        if (!question) return;
        // Set before the dispatch, which may render at once.
        pending = { position: turn.position, target: 'editInput' };
        dispatch({ type: 'editOpen', turnId: turn.id, text: question.text });
        return;
      }
      case 'cancelEdit':
        pending = { position: turn.position, target: 'edit' };
        dispatch({ type: 'editCancel' });
        return;
      case 'sendEdit':
        return sendEdit(turn.id);
      case 'regenerate': {
        const id = options.newId();
        dispatch({ type: 'rerun', id, turnId: turn.id });
        post({ type: 'turn/regenerate', id, turnId: turn.id, ...expected() });
        options.focusComposer();
        return;
      }
      case 'previous':
      case 'next':
        post({ type: 'turn/switchVersion', turnId: turn.id, direction: action, ...expected() });
        pending = { position: turn.position, target: action, after: model().snapshot };
        return;
      case 'fork':
        post({ type: 'thread/fork', turnId: turn.id });
        options.focusComposer();
        return;
    }
  };

  log.addEventListener('click', (event) => {
    const button = (event.target as Element | null)?.closest?.<HTMLElement>('[data-turn-action]');
    const turn = button && turnOf(button);
    if (!button || !turn || (button as HTMLButtonElement).disabled) return;
    act(button.dataset.turnAction as TurnAction, turn);
  });
  log.addEventListener('input', (event) => {
    const input = event.target as HTMLTextAreaElement;
    if (!input.classList?.contains('edit-input')) return;
    dispatch({ type: 'editChange', text: input.value });
    const send = input.closest('.edit-box')?.querySelector<HTMLButtonElement>('[data-turn-action="sendEdit"]');
    if (send) send.disabled = input.value.trim() === '';
  });
  log.addEventListener('compositionstart', () => (composing = true));
  log.addEventListener('compositionend', () => (composing = false));
  log.addEventListener('keydown', (event) => {
    const input = event.target as HTMLElement;
    if (!input.classList?.contains('edit-input')) return;
    const turn = turnOf(input);
    if (!turn) return;
    if (event.key === 'Escape') {
      // The edit box owns Escape: nothing else (the find bar, VS Code) should see it.
      event.preventDefault();
      event.stopPropagation();
      act('cancelEdit', turn);
    } else if (isSendKey(event) && !composing) {
      event.preventDefault();
      sendEdit(turn.id);
    }
  });

  return {
    edit(turnId) {
      const button = log.querySelector<HTMLButtonElement>(`.turn[data-turn-id="${turnId}"] [data-turn-action="edit"]`);
      const turn = button && turnOf(button);
      if (!turn || button.disabled) return false;
      act('edit', turn);
      return true;
    },
    rendered() {
      if (!pending || (pending.after !== undefined && model().snapshot === pending.after)) return;
      const target = pending;
      pending = undefined;
      const turn = log.querySelectorAll('.turn')[target.position];
      if (!turn) return;
      if (target.target === 'editInput') {
        const input = turn.querySelector<HTMLTextAreaElement>('.edit-input');
        input?.focus();
        input?.setSelectionRange(input.value.length, input.value.length);
        return;
      }
      const other = target.target === 'previous' ? 'next' : target.target === 'next' ? 'previous' : target.target;
      const button = [target.target, other]
        .map((action) => turn.querySelector<HTMLButtonElement>(`[data-turn-action="${action}"]`))
        .find((candidate) => candidate && !candidate.disabled);
      button?.focus();
    },
  };
}
