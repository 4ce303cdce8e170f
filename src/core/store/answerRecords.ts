import { hash } from 'node:crypto';
import { isUserMessage } from '../items/itemFields.ts';
import type { AnswerRecord, StoredItem, ThreadUsage } from './historyStore.ts';

/**
 * Answer records (`session_chat_answers`), the parts both backends share. A record names its
 * answer by the row id of the answer's last item and by a digest of that row's stored text. Row
 * ids are never reused (SQLite AUTOINCREMENT, a PostgreSQL sequence), so a page finds the records
 * of its rows by id, and a record whose row is away matches no page. Whatever takes rows away to
 * keep them (Undo, Clear, hiding a version) marks their records away (`live` false); whatever puts
 * them back (Redo, the undo of a Clear, a version switch) puts back the same texts byte for byte
 * under new ids, and re-links the records waiting for those texts ({@link matchRestored}) in the
 * same transaction. Rows replaced or cleared for good take their records with them. Each thread's
 * sum over its live records is kept in `session_chat_answer_totals`, adjusted by the same steps,
 * so reading it costs one row however long the thread.
 */

/** The digest a record keeps of its row's text: sha256, hex. */
export function rowDigest(text: string): string {
  // The one-shot form: a large version switch hashes every row it brings back.
  return hash('sha256', text);
}

/** The columns after `session_id, row_id, digest`, in this order, as both tables spell them. */
export const ANSWER_VALUE_COLUMNS = 'agent, model, source, input_tokens, output_tokens, cached_tokens, estimated, requests, created_at';

/** The values of {@link ANSWER_VALUE_COLUMNS} for one record (usage columns null when it has none). */
export function answerValues(record: AnswerRecord, now: number): (string | number | null)[] {
  const usage = record.usage;
  return [
    record.agent ?? null,
    record.model ?? null,
    record.source ?? null,
    usage ? usage.inputTokens : null,
    usage ? usage.outputTokens : null,
    usage ? usage.cachedTokens : null,
    usage ? (usage.estimated ? 1 : 0) : null,
    usage ? usage.requests : null,
    now,
  ];
}

/** A record as read back (either backend's row: numbers may come as strings, booleans as 0/1). */
export function toAnswerRecord(row: Record<string, unknown>): AnswerRecord {
  const record: AnswerRecord = {};
  if (typeof row.agent === 'string') record.agent = row.agent;
  if (typeof row.model === 'string') record.model = row.model;
  if (typeof row.source === 'string') record.source = row.source;
  if (row.input_tokens !== null && row.input_tokens !== undefined) {
    record.usage = {
      inputTokens: Number(row.input_tokens),
      outputTokens: Number(row.output_tokens ?? 0),
      cachedTokens: Number(row.cached_tokens ?? 0),
      estimated: truthy(row.estimated),
      requests: Number(row.requests ?? 0),
    };
  }
  return record;
}

/**
 * The records of a page's turns, by turn id: a record belongs to the turn holding its row. `rows`
 * are the records whose row ids fall in the page's range; a row the page does not hold (unreadable)
 * gives nothing. Undefined when no turn of the page has one.
 */
export function pageAnswers(items: readonly StoredItem[], rows: readonly Record<string, unknown>[]): Map<number, AnswerRecord> | undefined {
  if (rows.length === 0 || items.length === 0) return undefined;
  const byRow = new Map<number, Record<string, unknown>>();
  for (const row of rows) byRow.set(Number(row.row_id), row);
  const answers = new Map<number, AnswerRecord>();
  let turnId = items[0]!.rowId;
  for (const { rowId, item } of items) {
    if (isUserMessage(item)) turnId = rowId;
    const row = byRow.get(rowId);
    // One answer per turn as the host stores them; should a turn hold two, the newer one names it.
    if (row) answers.set(turnId, toAnswerRecord(row));
  }
  return answers.size > 0 ? answers : undefined;
}

/** The thread's sum from its totals row (`answers`, sums, `estimated` counting estimated answers); undefined when none. */
export function toThreadUsage(row: Record<string, unknown> | undefined): ThreadUsage | undefined {
  const answers = Number(row?.answers ?? 0);
  if (!row || answers === 0) return undefined;
  return {
    answers,
    inputTokens: Number(row.input_tokens ?? 0),
    outputTokens: Number(row.output_tokens ?? 0),
    cachedTokens: Number(row.cached_tokens ?? 0),
    estimated: truthy(row.estimated),
    requests: Number(row.requests ?? 0),
  };
}

/** What records add to (or, negated, take from) a thread's totals: the columns of `session_chat_answer_totals` after `session_id`. */
export type TotalsDelta = [answers: number, inputTokens: number, outputTokens: number, cachedTokens: number, estimated: number, requests: number];

/** The columns of {@link TotalsDelta}, as the totals table and the records spell them. */
export const TOTALS_COLUMNS = ['answers', 'input_tokens', 'output_tokens', 'cached_tokens', 'estimated', 'requests'] as const;

/** The aggregate over records that gives a {@link TotalsDelta} (SQL select list; `estimated` counted). */
export const TOTALS_AGGREGATE =
  'count(*) AS answers, coalesce(sum(input_tokens), 0) AS input_tokens, coalesce(sum(output_tokens), 0) AS output_tokens, ' +
  'coalesce(sum(cached_tokens), 0) AS cached_tokens, count(CASE WHEN estimated THEN 1 END) AS estimated, coalesce(sum(requests), 0) AS requests';

/** A {@link TotalsDelta} from an aggregate row ({@link TOTALS_AGGREGATE}), negated when `sign` is -1. */
export function totalsDelta(row: Record<string, unknown> | undefined, sign: 1 | -1 = 1): TotalsDelta {
  return TOTALS_COLUMNS.map((column) => sign * Number(row?.[column] ?? 0)) as TotalsDelta;
}

/** The {@link TotalsDelta} of some records (rows with the record columns). */
export function recordsDelta(rows: readonly Record<string, unknown>[]): TotalsDelta {
  const delta: TotalsDelta = [rows.length, 0, 0, 0, 0, 0];
  for (const row of rows) {
    delta[1] += Number(row.input_tokens ?? 0);
    delta[2] += Number(row.output_tokens ?? 0);
    delta[3] += Number(row.cached_tokens ?? 0);
    delta[4] += truthy(row.estimated) ? 1 : 0;
    delta[5] += Number(row.requests ?? 0);
  }
  return delta;
}

/** The {@link TotalsDelta} of one new record. */
export function answerDelta(record: AnswerRecord): TotalsDelta {
  const usage = record.usage;
  return usage ? [1, usage.inputTokens, usage.outputTokens, usage.cachedTokens, usage.estimated ? 1 : 0, usage.requests] : [1, 0, 0, 0, 0, 0];
}

/** A restored row: its new id and its text. */
export interface RestoredRow {
  id: number;
  data: string;
}

/** A record waiting for its row (its row id names no row now), oldest first by `key`. */
export interface WaitingRecord {
  key: number;
  digest: string;
}

/**
 * Pairs restored rows with waiting records of the same digest, rows in thread order and records
 * oldest first, each record at most once. Two waiting records of one text (an answer regenerated
 * word for word) are told apart only by age: the older is linked first.
 */
export function matchRestored(restored: readonly RestoredRow[], digests: readonly string[], waiting: readonly WaitingRecord[]): { key: number; rowId: number }[] {
  const queues = new Map<string, number[]>();
  for (const record of [...waiting].sort((a, b) => a.key - b.key)) {
    const queue = queues.get(record.digest);
    if (queue) queue.push(record.key);
    else queues.set(record.digest, [record.key]);
  }
  const links: { key: number; rowId: number }[] = [];
  restored.forEach((row, i) => {
    const key = queues.get(digests[i]!)?.shift();
    if (key !== undefined) links.push({ key, rowId: row.id });
  });
  return links;
}

function truthy(value: unknown): boolean {
  return value === true || Number(value) > 0;
}
