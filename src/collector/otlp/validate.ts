// Item-level checks shared by both decoders: items failing them are rejected
// one by one (partial success), the rest of the request is kept.

const ZERO_TRACE = '0'.repeat(32);
const ZERO_SPAN = '0'.repeat(16);

/** Why a span cannot be stored, or '' when its ids are valid (the spec requires non-zero ids). */
export function invalidIdReason(traceId: string, spanId: string): string {
  if (traceId === '' || traceId === ZERO_TRACE) return 'span has an empty or all-zero traceId';
  if (spanId === '' || spanId === ZERO_SPAN) return 'span has an empty or all-zero spanId';
  return '';
}

/** Histogram points whose bucket counts do not match their bounds cannot be interpreted. */
export function invalidHistogramReason(bucketCounts: number, explicitBounds: number): string {
  if (bucketCounts === 0) return '';
  if (bucketCounts !== explicitBounds + 1) {
    return `histogram point has ${bucketCounts} bucketCounts for ${explicitBounds} explicitBounds (expected ${explicitBounds + 1})`;
  }
  return '';
}
