-- Where in time a trace's spans are: the cold table's ART is probed for the
-- id (a parameter, as in trace-window-cold.sql); the hot table (no index,
-- bounded) is scanned.
SELECT min(start_min) AS lo, max(start_max) AS hi
FROM (
  SELECT start_min, start_max FROM trace_index_hot WHERE trace_id = $trace_id
  UNION ALL
  SELECT start_min, start_max FROM trace_index WHERE trace_id = $trace_id
);
