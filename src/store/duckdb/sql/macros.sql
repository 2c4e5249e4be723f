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

-- One key=value of a search: a pseudo-tag, a span attribute (its slot value
-- or the JSON remainder) or a resource attribute. Attribute values are
-- tagged text: compare after the tag.
CREATE OR REPLACE TEMP MACRO tag_matches(slot, attrs, rattrs, status, kind, k, v) AS
  pseudo_tag_matches(status, kind, k, v)
  OR coalesce(substr(slot, 2) = v, false)
  OR coalesce(substr(json_extract_string(attrs, '$.' || to_json(k)), 2) = v, false)
  OR coalesce(substr(json_extract_string(rattrs, '$.' || to_json(k)), 2) = v, false);

-- The same test without parsing JSON: `n` holds the exact JSON texts
-- `"key":"<type tag><value>"` the value can be stored as (at most four; see
-- tagNeedles in params.ts). A quote inside a JSON string is escaped, so the
-- text cannot occur anywhere but as that key and value.
CREATE OR REPLACE TEMP MACRO contains_any(s, n) AS
  coalesce(contains(s, n[1]) OR contains(s, n[2]) OR contains(s, n[3]) OR contains(s, n[4]), false);

CREATE OR REPLACE TEMP MACRO tag_slot_matches(slot, attrs, rattrs, status, kind, k, v, n) AS
  k IS NULL
  OR pseudo_tag_matches(status, kind, k, v)
  OR coalesce(substr(slot, 2) = v, false)
  OR contains_any(attrs, n)
  OR contains_any(rattrs, n);

-- The filter's fields other than tags. NULL arguments mean "any".
CREATE OR REPLACE TEMP MACRO span_fields_match(start_ns, service, name, kind, duration, status,
    range_start, range_end, svc, op, sk, min_d, max_d, st) AS
  start_ns >= range_start AND start_ns < range_end
  AND (svc IS NULL OR service = svc)
  AND (op IS NULL OR name = op)
  AND (sk IS NULL OR kind = sk)
  AND (min_d IS NULL OR duration >= min_d)
  AND (max_d IS NULL OR duration <= max_d)
  AND (st IS NULL OR status = st);

-- The spans a SpanFilter / TraceQuery selects, resource attributes read
-- through a join with resources. The first three tags come as slots (k, v,
-- needles), tested in the filter itself so cheap tests short-circuit;
-- further tags go through the list. For queries that read every match
-- anyway (distributions, counts); a search uses spansMatching (search-filter.ts). A tag key's
-- position in each key set is found once per key set (the join to
-- attribute_keysets), not per span; `keyset_keys` is the span's key list
-- (NULL when its attributes are all in attributes_rest).
CREATE OR REPLACE TEMP MACRO filtered_spans(range_start, range_end, svc, op, sk, min_d, max_d, st,
    k1, v1, n1, k2, v2, n2, k3, v3, n3, tag_keys, tag_values) AS TABLE
  SELECT s.*, ks.keys AS keyset_keys
  FROM spans s
  JOIN resources r ON r.id = s.resource_id
  LEFT JOIN (
    SELECT id, keys, list_position(keys, k1) AS p1, list_position(keys, k2) AS p2,
           list_position(keys, k3) AS p3,
           list_transform(tag_keys, lambda t: list_position(keys, t)) AS ps
    FROM attribute_keysets
  ) ks ON ks.id = s.keyset_id
  WHERE span_fields_match(s.start_ns, s.service, s.name, s.kind, s.duration_ns, s.status_code,
          range_start, range_end, svc, op, sk, min_d, max_d, st)
    AND tag_slot_matches(slot_value(ks.p1, s.a0, s.a1, s.a2, s.a3, s.a4, s.a5, s.a6, s.a7, s.a8, s.a9, s.a10, s.a11, s.a12, s.a13, s.a14, s.a15),
          s.attributes_rest, r.attributes, s.status_code, s.kind, k1, v1, n1)
    AND tag_slot_matches(slot_value(ks.p2, s.a0, s.a1, s.a2, s.a3, s.a4, s.a5, s.a6, s.a7, s.a8, s.a9, s.a10, s.a11, s.a12, s.a13, s.a14, s.a15),
          s.attributes_rest, r.attributes, s.status_code, s.kind, k2, v2, n2)
    AND tag_slot_matches(slot_value(ks.p3, s.a0, s.a1, s.a2, s.a3, s.a4, s.a5, s.a6, s.a7, s.a8, s.a9, s.a10, s.a11, s.a12, s.a13, s.a14, s.a15),
          s.attributes_rest, r.attributes, s.status_code, s.kind, k3, v3, n3)
    AND (len(tag_keys) = 0 OR coalesce(list_bool_and(list_transform(range(1, len(tag_keys) + 1),
          lambda i: tag_matches(slot_value(ks.ps[i], s.a0, s.a1, s.a2, s.a3, s.a4, s.a5, s.a6, s.a7, s.a8, s.a9, s.a10, s.a11, s.a12, s.a13, s.a14, s.a15),
            s.attributes_rest, r.attributes, s.status_code, s.kind, tag_keys[i], tag_values[i]))), true));

-- A search (recent-first candidates, the other sorts) tests the same rules
-- without the joins, its WHERE clause written per search by spansMatching
-- in search-filter.ts: any join turns off the row-group skipping of
-- `ORDER BY start_ns DESC LIMIT k` (top-N) a recent-first search relies on
-- (20-150 ms instead of 300-1900 ms over 12M spans).
