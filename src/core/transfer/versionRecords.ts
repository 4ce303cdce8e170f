import type { Database, Statement } from '../session/sqliteDriver.ts';
import type { VersionGroupRecord } from './threadRecord.ts';

/**
 * A thread's other versions (`session_chat_versions`) as export records: each group's anchor (a
 * row id) becomes its position in the thread, because row ids are new wherever the thread is
 * imported. Reads our own store and another Session Chat file alike.
 */
export class VersionRecords {
  readonly #slots: Statement;
  readonly #countUpTo: Statement;

  constructor(db: Database) {
    this.#slots = db.prepare(
      'SELECT anchor_row_id AS anchor, version_index AS idx, rows, nested, created_at FROM session_chat_versions WHERE thread_id = ? ORDER BY anchor_row_id, version_index',
    );
    this.#countUpTo = db.prepare('SELECT count(*) AS n FROM agent_messages WHERE session_id = ? AND id <= ?');
  }

  read(threadId: string): VersionGroupRecord[] {
    const groups = new Map<number, VersionGroupRecord>();
    for (const row of this.#slots.all(threadId)) {
      const anchor = Number(row.anchor);
      let group = groups.get(anchor);
      if (!group) {
        const after = anchor === 0 ? 0 : Number(this.#countUpTo.get(threadId, anchor)?.n ?? 0);
        group = { after, shown: 0, versions: [] };
        groups.set(anchor, group);
      }
      const index = Number(row.idx);
      const items = row.rows === null ? null : (JSON.parse(String(row.rows)) as unknown[]).map(String);
      if (items === null) group.shown = index;
      group.versions.push({ index, items, nested: row.nested === null ? null : String(row.nested), createdAt: Number(row.created_at) });
    }
    return [...groups.values()];
  }
}
