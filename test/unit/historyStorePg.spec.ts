import { after } from 'node:test';
import { PgHistoryStore } from '../../src/core/store/pg/pgHistoryStore.ts';
import { historyStoreContract } from './helpers/historyStoreContract.ts';
import { sharedPostgres, stopSharedPostgres } from './helpers/postgresServer.ts';
import { sdkAddItems, sdkClearSession, withClient } from './helpers/sqlAlchemySql.ts';

// The same contract as SQLite's, on a real PostgreSQL started for this file (one fresh database
// per case); the writer going around the store is the SQL the Python SDK's SQLAlchemySession sends.
after(stopSharedPostgres);

historyStoreContract({
  name: 'PostgreSQL',
  async open() {
    const url = await (await sharedPostgres()).createDatabase();
    const store = await PgHistoryStore.open({ connectionString: url });
    return {
      store,
      outsideAdd: (threadId, items) => withClient(url, (client) => sdkAddItems(client, threadId, items)),
      outsideClear: (threadId) => withClient(url, (client) => sdkClearSession(client, threadId)),
      reopen: () => PgHistoryStore.open({ connectionString: url }),
      close: () => store.close(),
    };
  },
});
