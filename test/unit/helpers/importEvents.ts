import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { readImportSources, type ImportEvent } from '../../../src/core/transfer/importSources.ts';
import type { SkippedSource, ThreadRecord } from '../../../src/core/transfer/threadRecord.ts';

/** The folder of hand-made files in other tools' formats. */
export const IMPORT_FIXTURES = fileURLToPath(new URL('../../fixtures/import/', import.meta.url));

/** Every event of one import, in order. */
export async function collectImport(paths: string[], options?: Parameters<typeof readImportSources>[1]): Promise<ImportEvent[]> {
  const events: ImportEvent[] = [];
  for await (const event of readImportSources(paths, options)) events.push(event);
  return events;
}

export function threadsOf(events: readonly ImportEvent[]): ThreadRecord[] {
  return events.flatMap((event) => (event.kind === 'thread' ? [event.record] : []));
}

export function skipsOf(events: readonly ImportEvent[]): SkippedSource[] {
  return events.flatMap((event) => (event.kind === 'skipped' ? [event.skipped] : []));
}

/** The items of a record, parsed. */
export function parsedItems(record: ThreadRecord): Array<Record<string, unknown>> {
  return record.items.map((text) => JSON.parse(text) as Record<string, unknown>);
}

/**
 * Checks what the model runner needs of a history: every function call has exactly one output
 * after it with the same call id, and every output follows its call.
 */
export function assertCallsPaired(record: ThreadRecord): void {
  const open = new Set<string>();
  const seen = new Set<string>();
  for (const item of parsedItems(record)) {
    if (item.type === 'function_call') {
      const id = item.callId as string;
      assert.ok(!seen.has(id), `call id ${id} is used once`);
      seen.add(id);
      open.add(id);
    } else if (item.type === 'function_call_result') {
      const id = item.callId as string;
      assert.ok(open.delete(id), `output ${id} follows its call`);
    }
  }
  assert.deepEqual([...open], [], 'every call has its output');
}
