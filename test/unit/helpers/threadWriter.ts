// Child process for the concurrency tests: opens the thread store (migrating a fresh file if it
// gets there first), creates a thread in its own workspace and appends numbered turns to it.
// Usage: threadWriter.ts <dbPath> <workspaceKey> <turns>
import { ThreadStore } from '../../../src/core/threads/threadStore.ts';
import { turnItems } from './turns.ts';

const [dbPath, workspaceKey, turnsArg] = process.argv.slice(2);
const store = ThreadStore.open(dbPath!);
const thread = store.createThread(workspaceKey!, `writer ${workspaceKey}`);
for (let turn = 0; turn < Number(turnsArg); turn++) store.addItems(thread.id, turnItems(workspaceKey!, turn));
store.close();
