import { runStoreContract } from '../contract';
import { createDuckDbStore } from './index';

runStoreContract('duckdb :memory:', () => createDuckDbStore({ dataDir: ':memory:', threads: 1 }));
// Every write first moves the trace index's hot rows to the cold part, so
// reads cross both tables (a trace written over several batches has rows in each).
runStoreContract('duckdb :memory:, hot trace index of 1 row', () =>
  createDuckDbStore({ dataDir: ':memory:', threads: 1, traceIndexHotRows: 1 }),
);
