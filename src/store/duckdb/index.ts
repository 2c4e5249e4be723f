export {
  createDuckDbStore,
  DEFAULT_CHECKPOINT_THRESHOLD,
  DuckDbStore,
  DEFAULT_MEMORY_LIMIT,
  DEFAULT_RETENTION,
  DEFAULT_THREADS,
} from './duckdb-store';
export type { DuckDbStoreOptions } from './duckdb-store';
export { DB_FILE_NAME, StoreOpenError } from './open';
export { COMPACT_SUFFIX, compactStore } from './compact';
export type { CompactOptions, CompactResult } from './compact';
