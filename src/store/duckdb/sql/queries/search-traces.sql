-- Traces with a matching span, summarized from the trace index (not from
-- their spans), sorted and limited; the WHERE clause as in latest-matching-spans.sql.
WITH matched AS (
  SELECT DISTINCT trace_id
  FROM spans
  WHERE {{filter}}
),
summary AS (
  SELECT ti.trace_id,
         min(ti.start_min) AS start_ns,
         max(ti.end_max) - min(ti.start_min) AS duration_ns,
         sum(ti.span_count)::BIGINT AS span_count,
         sum(ti.error_count)::BIGINT AS error_count,
         arg_min(ti.root_service, ti.root_start) FILTER (WHERE ti.root_start IS NOT NULL) AS root_service,
         arg_min(ti.root_name, ti.root_start) FILTER (WHERE ti.root_start IS NOT NULL) AS root_name,
         arg_min(ti.first_service, ti.start_min) AS first_service,
         arg_min(ti.first_name, ti.start_min) AS first_name
  FROM (SELECT * FROM trace_index_hot UNION ALL BY NAME SELECT * FROM trace_index) ti
  WHERE ti.trace_id IN (SELECT trace_id FROM matched)
  GROUP BY ti.trace_id
)
SELECT trace_id, start_ns, duration_ns, span_count, error_count,
       coalesce(root_service, first_service) AS root_service,
       coalesce(root_name, first_name) AS root_name
FROM summary
ORDER BY CASE $sort
           WHEN 'longest' THEN -duration_ns
           WHEN 'shortest' THEN duration_ns
           WHEN 'most-spans' THEN -span_count
           ELSE -start_ns
         END,
         trace_id
LIMIT $limit;
