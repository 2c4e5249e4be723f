// A span search's WHERE clause written for the search at hand, instead of
// the generic filter with every field and all 16 attribute slots: DuckDB
// reads only the columns a query names, and the generic slot test names
// a0..a15, so every search decompressed 16 text columns for each row
// group it scanned (and planned a far bigger expression). With only the
// slots the tag's key occupies in some key set, the candidate query of the
// shop search took 3.6-5 ms instead of 14-15 ms (bench/search-during-ingest.md).
// The rules are those of src/store/span-match.ts (the memory store's), with
// the helpers in macros.sql; search-filter.test.ts compares with the memory
// store. Searches, the other sorts and the duration and attribute
// distributions all select spans with it.

import { DuckDBListValue } from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';

import { ATTRIBUTE_SLOTS } from './catalog';
import type { Param, Params } from './params';

/** Search tags given as slots (k1..k3 with needles, resource ids, positions); more go through lists. */
const TAG_SLOTS = 3;

/** Keys whose tag can match a span field instead of an attribute (pseudo_tag_matches). */
const PSEUDO_TAGS: ReadonlySet<string> = new Set(['error', 'span.kind', 'otel.status_code']);

/** Tags past the third: tested from lists (key positions per key set, values, resource ids). */
const MORE_TAGS = `(len($tag_keys) = 0 OR coalesce(list_bool_and(list_transform(range(1, len($tag_keys) + 1),
    lambda i: pseudo_tag_matches(status_code, kind, $tag_keys[i], $tag_values[i])
      OR coalesce(substr(slot_value($tag_pos[i][keyset_id], a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15), 2) = $tag_values[i], false)
      OR coalesce(substr(json_extract_string(attributes_rest, '$.' || to_json($tag_keys[i])), 2) = $tag_values[i], false)
      OR list_contains($tag_rids[i], resource_id))), true))`;

function value(p: Params, name: string): DuckDBValue {
  const v = p[name];
  if (v === undefined) throw new Error(`search parameter $${name} missing`);
  return v[0];
}

function items(p: Params, name: string): readonly DuckDBValue[] {
  const v = value(p, name);
  if (!(v instanceof DuckDBListValue)) throw new Error(`search parameter $${name} is not a list`);
  return v.items;
}

/**
 * The slots a tag's key occupies in some key set (1-based), from its
 * positions by key set id: the only slot columns its test needs to read.
 */
function slotsOf(p: Params, name: string): number[] {
  const out = new Set<number>();
  for (const v of items(p, name)) {
    const n = Number(v);
    if (Number.isInteger(n) && n >= 1 && n <= ATTRIBUTE_SLOTS) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

/**
 * The spans a search selects (span-match.ts's rules) as a
 * condition on the `spans` columns, given withSearchParams' parameters plus
 * `kind` and, optionally, `status`; `params` holds only the parameters the
 * condition names.
 */
export function spansMatching(filter: Params): { where: string; params: Params } {
  const terms = ['start_ns >= $start', 'start_ns < $end'];
  const when = (name: string, term: string): void => {
    if (value(filter, name) !== null) terms.push(term);
  };
  when('service', 'service = $service');
  when('operation', 'name = $operation');
  when('kind', 'kind = $kind');
  when('min_duration', 'duration_ns >= $min_duration');
  when('max_duration', 'duration_ns <= $max_duration');
  // Searches give no status; the span reads of a comparison may.
  if (filter['status'] !== undefined) when('status', 'status_code = $status');
  for (let i = 1; i <= TAG_SLOTS; i++) {
    const key = value(filter, `k${i}`);
    if (key === null) continue;
    // Each left-out test is false for every span, so the OR is the same.
    const any: string[] = [];
    if (PSEUDO_TAGS.has(String(key)))
      any.push(`pseudo_tag_matches(status_code, kind, $k${i}, $v${i})`);
    const slots = slotsOf(filter, `p${i}`);
    if (slots.length > 0) {
      const cases = slots.map((s) => `WHEN ${s} THEN a${s - 1}`).join(' ');
      any.push(`coalesce(substr(CASE $p${i}[keyset_id] ${cases} END, 2) = $v${i}, false)`);
    }
    any.push(`contains_any(attributes_rest, $n${i})`);
    if (items(filter, `r${i}`).length > 0) any.push(`list_contains($r${i}, resource_id)`);
    terms.push(`(${any.join('\n    OR ')})`);
  }
  if (items(filter, 'tag_keys').length > 0) terms.push(MORE_TAGS);
  const where = terms.join('\n  AND ');
  // DuckDB refuses a value for a parameter the statement does not name.
  const params: Record<string, Param> = {};
  for (const [n, p] of Object.entries(filter))
    if (new RegExp(`\\$${n}\\b`).test(where)) params[n] = p;
  return { where, params };
}
