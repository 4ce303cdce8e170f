import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { writeExportFile } from '../../src/core/transfer/exportFile.ts';
import { readImportSources, type ImportEvent } from '../../src/core/transfer/importSources.ts';
import type { ThreadRecord } from '../../src/core/transfer/threadRecord.ts';
import { tempDir } from './helpers/tempDir.ts';

const temp = tempDir('session-chat-transfer-');
after(() => temp.remove());
let fileNumber = 0;
const nextFile = (): string => join(temp.dir, `export-${++fileNumber}.json`);

const schema = JSON.parse(readFileSync(new URL('../../docs/formats/session-chat-export.schema.json', import.meta.url), 'utf8')) as object;
// `format: date-time` is checked by the schema's own pattern; Ajv's format plugin is not needed.
const validate = new Ajv2020({ strict: true, validateFormats: false }).compile(schema);

async function* recordsOf(records: readonly ThreadRecord[]): AsyncGenerator<ThreadRecord> {
  for (const record of records) yield record;
}

async function collect(paths: string[], options?: Parameters<typeof readImportSources>[1]): Promise<ImportEvent[]> {
  const events: ImportEvent[] = [];
  for await (const event of readImportSources(paths, options)) events.push(event);
  return events;
}

function threadsOf(events: readonly ImportEvent[]): ThreadRecord[] {
  return events.flatMap((event) => (event.kind === 'thread' ? [event.record] : []));
}

const meta = { scope: 'all' as const, exportedAt: Date.UTC(2026, 10, 28, 10, 0, 0, 123) };

const plain: ThreadRecord = {
  id: 'thread-a',
  title: 'Fix the build',
  workspaceKey: 'file:///home/me/project',
  createdAt: Date.UTC(2026, 10, 27, 9, 12, 3, 114),
  updatedAt: Date.UTC(2026, 10, 27, 9, 30, 41, 20),
  pinned: true,
  items: [
    JSON.stringify({ type: 'message', role: 'user', content: 'Why does the build fail? é ✓ \u2028' }),
    JSON.stringify({ type: 'function_call', callId: 'c1', name: 'read_file', arguments: '{"path":"a.ts"}', status: 'completed' }),
    JSON.stringify({ type: 'function_call_result', callId: 'c1', name: 'read_file', status: 'completed', output: { type: 'text', text: 'x' } }),
    JSON.stringify({ type: 'some_future_item', payload: [1, 2, { deep: true }] }),
    JSON.stringify({ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: 'Because ```x```' }] }),
  ],
};

/** Rows as other writers leave them: Python's json.dumps spacing and escapes, a number form, a corrupt row. */
const pythonRows: ThreadRecord = {
  id: 'thread-py',
  title: 'From Python',
  workspaceKey: '',
  createdAt: 1,
  updatedAt: 2,
  pinned: false,
  items: ['{"role": "user", "content": "caf\\u00e9"}', '{"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "1.0"}], "n": 1.0}', 'not json {', '{"a":1}'],
  versions: [
    {
      after: 0,
      shown: 1,
      versions: [
        { index: 0, items: ['{"role": "user", "content": "first try"}', JSON.stringify({ type: 'message', role: 'assistant', content: 'old' })], nested: '[{"after":1,"slots":[]}]', createdAt: 5 },
        { index: 1, items: null, nested: null, createdAt: 6 },
      ],
    },
  ],
};

describe('export file', () => {
  test('round trip: every thread, item and version comes back byte for byte, raw texts included', async () => {
    const path = nextFile();
    const result = await writeExportFile(path, recordsOf([plain, pythonRows]), meta);
    assert.deepEqual(result, { threads: 2, items: plain.items.length + pythonRows.items.length, cancelled: false });
    assert.equal(existsSync(`${path}.partial`), false);
    const events = await collect([path]);
    assert.deepEqual(events.map((event) => event.kind), ['thread', 'thread']);
    assert.deepEqual(threadsOf(events), [plain, pythonRows]);
    assert.ok(events.every((event) => event.kind !== 'thread' || (event.format === 'session-chat' && event.source === path)));
  });

  test('the export validates against the published JSON Schema and reads well', async () => {
    const path = nextFile();
    await writeExportFile(path, recordsOf([plain, pythonRows]), { scope: 'workspace', workspaceKey: 'file:///home/me/project', exportedAt: meta.exportedAt });
    const document = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    assert.equal(validate(document), true, JSON.stringify(validate.errors));
    assert.equal(document.exportedAt, '2026-11-28T10:00:00.123Z');
    assert.equal(document.workspace, 'file:///home/me/project');
    const [first, second] = document.threads as Array<Record<string, unknown>>;
    // Items are objects a person can read, not escaped strings.
    assert.deepEqual((first!.items as unknown[])[0], { type: 'message', role: 'user', content: 'Why does the build fail? é ✓ \u2028' });
    assert.equal(first!.raw, undefined);
    assert.deepEqual(second!.raw, { 0: pythonRows.items[0], 1: pythonRows.items[1], 2: 'not json {' });
    assert.equal((second!.items as unknown[])[2], null);
    // A document that breaks the schema is caught by it (the check can fail).
    assert.equal(validate({ ...document, version: 2 }), false);
  });

  test('a failed export leaves neither the file nor its .partial', async () => {
    const path = nextFile();
    async function* failing(): AsyncGenerator<ThreadRecord> {
      yield plain;
      throw new Error('store went away');
    }
    await assert.rejects(writeExportFile(path, failing(), meta), /store went away/);
    assert.equal(existsSync(path), false);
    assert.equal(existsSync(`${path}.partial`), false);
  });

  test('a failed export keeps an older file at the path as it was', async () => {
    const path = nextFile();
    writeFileSync(path, 'older export');
    async function* failing(): AsyncGenerator<ThreadRecord> {
      yield plain;
      throw new Error('disk full');
    }
    await assert.rejects(writeExportFile(path, failing(), meta));
    assert.equal(readFileSync(path, 'utf8'), 'older export');
  });

  test('cancelling keeps the threads finished so far in a complete, valid file and says so', async () => {
    const path = nextFile();
    const controller = new AbortController();
    let closed = false;
    async function* slow(): AsyncGenerator<ThreadRecord> {
      try {
        for (let i = 0; i < 10; i++) {
          if (i === 3) controller.abort();
          yield { ...plain, id: `t${i}` };
        }
      } finally {
        closed = true;
      }
    }
    const result = await writeExportFile(path, slow(), meta, controller.signal);
    assert.deepEqual(result, { threads: 3, items: 3 * plain.items.length, cancelled: true });
    assert.equal(closed, true, 'the source iterator is closed');
    const document = JSON.parse(readFileSync(path, 'utf8')) as { threads: Array<{ id: string }> };
    assert.equal(validate(document), true);
    assert.deepEqual(document.threads.map((thread) => thread.id), ['t0', 't1', 't2']);
  });

  test('an empty export is a valid document with no threads', async () => {
    const path = nextFile();
    assert.deepEqual(await writeExportFile(path, recordsOf([]), { scope: 'thread', exportedAt: 0 }), { threads: 0, items: 0, cancelled: false });
    assert.equal(validate(JSON.parse(readFileSync(path, 'utf8'))), true);
    assert.deepEqual(await collect([path]), []);
  });
});
