// Child process for the PostgreSQL concurrency tests: appends numbered turns to one thread, one
// transaction per turn, through the store or as the Python SDK's SQLAlchemySession writes, and
// prints each turn number once it is committed.
// Usage: pgTurnWriter.ts <url> <threadId> <writerId> <turns, 0 = until killed> <store|sdk>
import { writeSync } from 'node:fs';
import pg from 'pg';
import { PgHistoryStore } from '../../../src/core/store/pg/pgHistoryStore.ts';
import { sdkAddItems } from './sqlAlchemySql.ts';
import { turnItems } from './turns.ts';

const [url, threadId, writer, turnsArg, mode] = process.argv.slice(2) as [string, string, string, string, string];
const turns = Number(turnsArg);
let append: (turn: number) => Promise<unknown>;
let close: () => Promise<void>;
if (mode === 'store') {
  const store = await PgHistoryStore.open({ connectionString: url });
  append = (turn) => store.appendItems(threadId, turnItems(writer, turn));
  close = () => store.close();
} else {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  append = (turn) => sdkAddItems(client, threadId, turnItems(writer, turn));
  close = () => client.end();
}
for (let turn = 0; turns === 0 || turn < turns; turn++) {
  await append(turn);
  // Blocking write: a turn counts as reported only once its number is in the pipe.
  if (turns === 0) writeSync(1, `${turn}\n`);
}
await close();
