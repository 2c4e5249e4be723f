-- Summaries of the given traces from the trace index (hot and cold parts),
-- most recent first.
-- {{trace_ids}}: decimal literals from validated ids (ART lookups), or
-- past a bound a list parameter (see withTraceIds in read-traces.ts).
WITH summary AS (
  SELECT ti.trace_id,
         min(ti.start_min) AS start_ns,
         max(ti.end_max) - min(ti.start_min) AS duration_ns,
         sum(ti.span_count)::BIGINT AS span_count,
         sum(ti.error_count)::BIGINT AS error_count,
         arg_min(ti.root_service, ti.root_start) FILTER (WHERE ti.root_start IS NOT NULL) AS root_service,
         arg_min(ti.root_name, ti.root_start) FILTER (WHERE ti.root_start IS NOT NULL) AS root_name,
         arg_min(ti.first_service, ti.start_min) AS first_service,
         arg_min(ti.first_name, ti.start_min) AS first_name
  FROM (
    SELECT * FROM trace_index_hot WHERE trace_id IN ({{trace_ids}})
    UNION ALL BY NAME
    SELECT * FROM trace_index WHERE trace_id IN ({{trace_ids}})
  ) ti
  GROUP BY ti.trace_id
)
SELECT trace_id, start_ns, duration_ns, span_count, error_count,
       coalesce(root_service, first_service) AS root_service,
       coalesce(root_name, first_name) AS root_name
FROM summary
ORDER BY start_ns DESC, trace_id
LIMIT $limit;
