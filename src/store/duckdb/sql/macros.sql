-- Per-connection helpers shared by the span queries. The rules are the ones
-- in src/store/span-match.ts (the in-memory store's), written in SQL.

-- One key=value of a search: a Jaeger pseudo-tag, a span attribute or a
-- resource attribute. Attribute values are tagged text: compare after the tag.
CREATE OR REPLACE TEMP MACRO tag_matches(attrs, rattrs, status, kind, k, v) AS
  (k = 'error' AND ((v = 'true' AND status = 2) OR (v = 'false' AND status <> 2)))
  OR (k = 'span.kind' AND v <> '' AND v = (['', 'internal', 'server', 'client', 'producer', 'consumer'])[kind + 1])
  OR (k = 'otel.status_code' AND v <> '' AND v = (['', 'OK', 'ERROR'])[status + 1])
  OR coalesce(substr(json_extract_string(attrs, '$.' || to_json(k)), 2) = v, false)
  OR coalesce(substr(json_extract_string(rattrs, '$.' || to_json(k)), 2) = v, false);

-- The spans a SpanFilter / TraceQuery selects. NULL arguments mean "any".
CREATE OR REPLACE TEMP MACRO filtered_spans(range_start, range_end, svc, op, sk, min_d, max_d, st, tag_keys, tag_values) AS TABLE
  SELECT s.*
  FROM spans s
  JOIN resources r ON r.id = s.resource_id
  WHERE s.start_ns >= range_start AND s.start_ns < range_end
    AND (svc IS NULL OR s.service = svc)
    AND (op IS NULL OR s.name = op)
    AND (sk IS NULL OR s.kind = sk)
    AND (min_d IS NULL OR s.duration_ns >= min_d)
    AND (max_d IS NULL OR s.duration_ns <= max_d)
    AND (st IS NULL OR s.status_code = st)
    AND coalesce(list_bool_and(list_transform(range(1, len(tag_keys) + 1),
          lambda i: tag_matches(s.attributes, r.attributes, s.status_code, s.kind, tag_keys[i], tag_values[i]))), true);
