// The package ships types only at its top-level "types" field, which
// node16 module resolution ignores once "exports" is present.
declare module '@prometheus-io/lezer-promql' {
  import type { LRParser } from '@lezer/lr';
  export const parser: LRParser;
}
