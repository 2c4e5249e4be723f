-- Merge the trace-index rows of traces written over several batches (each
-- service exports its own spans) into one row per trace, for traces that
-- started in [$since, $before): old enough to be complete. Fewer rows make
-- the index smaller on disk and search summaries cheaper.
CREATE OR REPLACE TEMP TABLE merged_traces AS
  SELECT trace_id,
         min(start_min) AS start_min,
         max(start_max) AS start_max,
         max(end_max) AS end_max,
         sum(span_count)::UINTEGER AS span_count,
         sum(error_count)::UINTEGER AS error_count,
         arg_min(root_service, root_start) FILTER (WHERE root_start IS NOT NULL) AS root_service,
         arg_min(root_name, root_start) FILTER (WHERE root_start IS NOT NULL) AS root_name,
         min(root_start) AS root_start,
         arg_min(first_service, start_min) AS first_service,
         arg_min(first_name, start_min) AS first_name
  FROM trace_index
  WHERE trace_id IN (
    SELECT trace_id FROM trace_index
    WHERE start_min >= $since AND start_min < $before
    GROUP BY trace_id
    HAVING count(*) > 1
  )
  GROUP BY trace_id;

DELETE FROM trace_index WHERE trace_id IN (SELECT trace_id FROM merged_traces);

INSERT INTO trace_index
SELECT trace_id, start_min, start_max, end_max, span_count, error_count,
       root_service, root_name, root_start, first_service, first_name
FROM merged_traces;

DROP TABLE merged_traces;
