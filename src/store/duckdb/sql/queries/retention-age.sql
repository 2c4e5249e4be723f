-- Drop everything older than the cutoff ($cutoff_ns; $cutoff_ms for the
-- Prometheus side), then rebuild the trace-index rows of traces that now
-- lost some of their spans, from the spans left (only a window of them).
-- The trace index is two tables (hot and cold, migration 005): rows of a
-- trace may be in either or both.
CREATE OR REPLACE TEMP TABLE straddling AS
  WITH ti AS (
    SELECT trace_id, start_min, start_max FROM trace_index_hot
    UNION ALL
    SELECT trace_id, start_min, start_max FROM trace_index
  )
  SELECT trace_id, max(start_max) AS hi
  FROM ti
  WHERE trace_id IN (SELECT trace_id FROM ti WHERE start_min < $cutoff_ns AND start_max >= $cutoff_ns)
  GROUP BY trace_id;

DELETE FROM trace_index_hot
WHERE start_min < $cutoff_ns OR trace_id IN (SELECT trace_id FROM straddling);

DELETE FROM trace_index
WHERE start_min < $cutoff_ns OR trace_id IN (SELECT trace_id FROM straddling);

DELETE FROM spans WHERE start_ns < $cutoff_ns;

-- Into the cold part, which this script changes anyway: the hot part's
-- windows held in memory (hot-windows.ts) only ever need to widen.
INSERT INTO trace_index
SELECT trace_id, min(start_ns), max(start_ns), max(start_ns + duration_ns),
       count(*), count(*) FILTER (WHERE status_code = 2),
       arg_min(service, start_ns) FILTER (WHERE parent_span_id IS NULL),
       arg_min(name, start_ns) FILTER (WHERE parent_span_id IS NULL),
       min(start_ns) FILTER (WHERE parent_span_id IS NULL),
       arg_min(service, start_ns), arg_min(name, start_ns)
FROM spans
WHERE start_ns >= $cutoff_ns
  AND start_ns <= (SELECT coalesce(max(hi), -1) FROM straddling)
  AND trace_id IN (SELECT trace_id FROM straddling)
GROUP BY trace_id;

DROP TABLE straddling;

DELETE FROM logs WHERE time_ns < $cutoff_ns;
DELETE FROM metric_points WHERE time_ns < $cutoff_ns;
DELETE FROM samples WHERE t < $cutoff_ms;
DELETE FROM samples_settled WHERE t < $cutoff_ms;
DELETE FROM exemplars WHERE t < $cutoff_ms;
DELETE FROM series
WHERE id NOT IN (SELECT series_id FROM samples)
  AND id NOT IN (SELECT series_id FROM samples_settled)
  AND id NOT IN (SELECT series_id FROM exemplars);
