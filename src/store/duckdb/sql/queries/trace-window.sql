-- Where in time a trace's spans are. The trace id placeholder becomes a
-- decimal literal made from a validated id: a literal lets DuckDB use the
-- cold table's ART index; the hot table (no index, bounded) is scanned.
SELECT min(start_min) AS lo, max(start_max) AS hi
FROM (
  SELECT start_min, start_max FROM trace_index_hot WHERE trace_id = {{trace_id}}::UHUGEINT
  UNION ALL
  SELECT start_min, start_max FROM trace_index WHERE trace_id = {{trace_id}}::UHUGEINT
);
