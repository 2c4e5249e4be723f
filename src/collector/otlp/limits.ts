// Bounds on what one OTLP request may carry. Attacker-controlled input, so
// every dimension is capped.
//
// Policy (see ARCHITECTURE.md): attributes beyond `maxAttributesPerItem` are
// dropped and counted in the item's droppedAttributesCount, and string/bytes
// values longer than `maxValueLength` are truncated, as the spec asks SDKs to
// do; the request is still accepted. Nesting deeper than `maxAnyValueDepth`
// or more than `maxItemsPerRequest` items refuses the whole request.

import type { FieldPath } from './errors';

export interface OtlpLimits {
  /** Request body after decompression, in bytes (HTTP 413 / gRPC RESOURCE_EXHAUSTED). */
  readonly maxBodyBytes: number;
  /** Spans + span events + links, metric data points, or log records per request. */
  readonly maxItemsPerRequest: number;
  /** Attributes kept per span, event, link, point, log record, resource or scope. */
  readonly maxAttributesPerItem: number;
  /** String values truncated to this many UTF-16 code units, bytes values to this many bytes. */
  readonly maxValueLength: number;
  /** Arrays and kvlists nested deeper than this are refused. */
  readonly maxAnyValueDepth: number;
}

export const DEFAULT_LIMITS: OtlpLimits = {
  maxBodyBytes: 16 * 1024 * 1024,
  maxItemsPerRequest: 200_000,
  maxAttributesPerItem: 256,
  maxValueLength: 64 * 1024,
  maxAnyValueDepth: 16,
};

export function resolveLimits(partial?: Partial<OtlpLimits>): OtlpLimits {
  const l = { ...DEFAULT_LIMITS, ...partial };
  for (const [k, v] of Object.entries(l)) {
    if (!Number.isSafeInteger(v) || v < 1)
      throw new RangeError(`OTLP limit ${k} must be a positive integer, got ${String(v)}`);
  }
  return l;
}

/** Refuses an AnyValue array or kvlist nested past maxAnyValueDepth (both decoders). */
export function checkAnyValueDepth(
  at: { readonly path: FieldPath; readonly limits: OtlpLimits },
  depth: number,
): void {
  if (depth > at.limits.maxAnyValueDepth) {
    throw at.path.error(
      `AnyValue nested deeper than ${at.limits.maxAnyValueDepth} levels (limit maxAnyValueDepth)`,
      // Deep nesting is refused like malformed input (400), not as too large.
      'malformed',
    );
  }
}
