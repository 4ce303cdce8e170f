// Child process for the concurrency tests: appends numbered turns to one shared session, one
// transaction per turn, and prints each turn number once it is committed.
// Usage: turnWriter.ts <dbPath> <writerId> <turns, 0 = until killed> <driver>
import { writeSync } from 'node:fs';
import { SqliteSession } from '../../../src/core/session/sqliteSession.ts';
import type { DriverName } from '../../../src/core/session/sqliteDriver.ts';
import { turnItems } from './turns.ts';

const [dbPath, writer, turnsArg, driver] = process.argv.slice(2);
const turns = Number(turnsArg);
const session = new SqliteSession('shared', dbPath, { driver: driver as DriverName });
for (let turn = 0; turns === 0 || turn < turns; turn++) {
  await session.addItems(turnItems(writer!, turn));
  // Blocking write: a turn counts as reported only once its number is in the pipe.
  if (turns === 0) writeSync(1, `${turn}\n`);
}
session.close();
