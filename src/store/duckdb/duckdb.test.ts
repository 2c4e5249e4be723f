import { runStoreContract } from '../contract';
import { createDuckDbStore } from './index';

runStoreContract('duckdb :memory:', () => createDuckDbStore({ dataDir: ':memory:', threads: 1 }));
