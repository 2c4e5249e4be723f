-- Traces with a matching span, ranked by a key from the trace index (not
-- from their spans), the first $limit: their ids and keys only. Every
-- matching trace is a group here (~1.25M in a 10M-span store when the
-- filter is one busy service), so the groups hold numbers only: with the
-- summary's texts (root and first service and name) too, the aggregate
-- ran out of a 256MB memory limit at 10M spans. The caller summarizes the
-- returned few through trace-summaries.sql. The WHERE clause as in
-- latest-matching-spans.sql.
WITH matched AS (
  SELECT DISTINCT trace_id
  FROM spans
  WHERE {{filter}}
),
keyed AS (
  SELECT ti.trace_id,
         min(ti.start_min) AS start_ns,
         max(ti.end_max) - min(ti.start_min) AS duration_ns,
         sum(ti.span_count)::BIGINT AS span_count
  FROM (SELECT trace_id, start_min, end_max, span_count FROM trace_index_hot
        UNION ALL
        SELECT trace_id, start_min, end_max, span_count FROM trace_index) ti
  SEMI JOIN matched m ON ti.trace_id = m.trace_id
  GROUP BY ti.trace_id
)
SELECT trace_id
FROM keyed
ORDER BY CASE $sort
           WHEN 'longest' THEN -duration_ns
           WHEN 'shortest' THEN duration_ns
           WHEN 'most-spans' THEN -span_count
           ELSE -start_ns
         END,
         trace_id
LIMIT $limit;
