import type { AnswerRecord, ThreadUsage, ThreadView, TurnVersions } from '../../core/store/historyStore.ts';
import type { TokenUsage } from '../../core/model/usage.ts';
import { toTurnPage, withVersions } from '../../core/view/paging.ts';
import type { AnswerView, ErrorView, Snapshot, StreamView, UsageView, ViewTurn } from '../../shared/protocol.ts';
import { DEFAULT_TITLE } from './threadTitle.ts';

/** What the snapshot adds to the stored thread: the host's live state. */
export interface SnapshotExtras {
  stream?: StreamView | undefined;
  error?: ErrorView | undefined;
  unsaved?: { text: string } | undefined;
  model: string;
  /** The store's versions of the page's turns (those with several). */
  versions?: ReadonlyMap<number, TurnVersions>;
  /** Who answered the page's turns and what it cost, by turn id. */
  answers?: ReadonlyMap<number, AnswerRecord> | undefined;
  /** The thread's usage so far. */
  usage?: ThreadUsage | undefined;
}

/** Token figures as the panel shows them. */
export function usageView(usage: TokenUsage): UsageView {
  return { input: usage.inputTokens, output: usage.outputTokens, cached: usage.cachedTokens, estimated: usage.estimated };
}

/** A stored answer record as the panel shows it. */
export function answerView(record: AnswerRecord): AnswerView {
  const view: AnswerView = {};
  if (record.agent) view.agent = record.agent;
  if (record.model) view.model = record.model;
  if (record.usage) view.usage = usageView(record.usage);
  return view;
}

/** The turns with their answer records, where the store has one. */
export function withAnswers(turns: ViewTurn[], answers: ReadonlyMap<number, AnswerRecord> | undefined): ViewTurn[] {
  if (!answers || answers.size === 0) return turns;
  return turns.map((turn) => {
    const record = answers.get(turn.id);
    return record ? { ...turn, answer: answerView(record) } : turn;
  });
}

/** The newest page of the thread plus the live state, as the webview renders it. */
export function buildSnapshot(threadId: string, view: ThreadView, extras: SnapshotExtras): Snapshot {
  const page = toTurnPage(view.page);
  const snapshot: Snapshot = {
    thread: { id: threadId, title: view.thread?.title ?? DEFAULT_TITLE, ...(view.thread?.pinned ? { pinned: true as const } : {}) },
    turns: withAnswers(extras.versions ? withVersions(page.turns, extras.versions) : page.turns, extras.answers),
    hasOlder: page.hasOlder,
    canUndo: view.canUndo,
    canRedo: view.canRedo,
    lastRowId: view.lastRowId,
    model: extras.model,
  };
  if (page.olderId !== undefined) snapshot.olderId = page.olderId;
  if (extras.stream) snapshot.stream = extras.stream;
  if (extras.error) snapshot.error = extras.error;
  if (extras.unsaved) snapshot.unsaved = extras.unsaved;
  if (extras.usage) snapshot.usage = { ...usageView(extras.usage), answers: extras.usage.answers };
  return snapshot;
}
