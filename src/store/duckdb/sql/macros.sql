-- Per-connection helpers shared by the span queries. The rules are the ones
-- in src/store/span-match.ts (the in-memory store's), written in SQL.

-- The Jaeger pseudo-tags: error, span.kind, otel.status_code.
CREATE OR REPLACE TEMP MACRO pseudo_tag_matches(status, kind, k, v) AS
  (k = 'error' AND ((v = 'true' AND status = 2) OR (v = 'false' AND status <> 2)))
  OR (k = 'span.kind' AND v <> '' AND v = (['', 'internal', 'server', 'client', 'producer', 'consumer'])[kind + 1])
  OR (k = 'otel.status_code' AND v <> '' AND v = (['', 'OK', 'ERROR'])[status + 1]);

-- A span attribute's tagged value from its slots (schema 4): p is the key's
-- 1-based position in the span's key set, NULL or 0 when absent.
CREATE OR REPLACE TEMP MACRO slot_value(p, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15) AS
  CASE p
    WHEN 1 THEN a0
    WHEN 2 THEN a1
    WHEN 3 THEN a2
    WHEN 4 THEN a3
    WHEN 5 THEN a4
    WHEN 6 THEN a5
    WHEN 7 THEN a6
    WHEN 8 THEN a7
    WHEN 9 THEN a8
    WHEN 10 THEN a9
    WHEN 11 THEN a10
    WHEN 12 THEN a11
    WHEN 13 THEN a12
    WHEN 14 THEN a13
    WHEN 15 THEN a14
    WHEN 16 THEN a15
  END;

-- A tag's test without parsing JSON: `n` holds the exact JSON texts
-- `"key":"<type tag><value>"` the value can be stored as (at most four; see
-- tagNeedles in params.ts). A quote inside a JSON string is escaped, so the
-- text cannot occur anywhere but as that key and value.
CREATE OR REPLACE TEMP MACRO contains_any(s, n) AS
  coalesce(contains(s, n[1]) OR contains(s, n[2]) OR contains(s, n[3]) OR contains(s, n[4]), false);

-- Span reads (searches, the other sorts, duration and attribute
-- distributions) test these rules with a WHERE clause written per query by
-- spansMatching in search-filter.ts, with no joins: any join turns off the
-- row-group skipping of `ORDER BY start_ns DESC LIMIT k` (top-N) a
-- recent-first search relies on (20-150 ms instead of 300-1900 ms over 12M
-- spans), and the generic filtered_spans macro these once went through,
-- testing every field and slot with joins to resources and key sets, made
-- an attribute distribution over 10M spans 4.7 s instead of 0.7 (removed in
-- session 7).
