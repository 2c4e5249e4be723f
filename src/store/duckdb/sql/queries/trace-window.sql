-- Where in time a trace's spans are. The trace id placeholder becomes a
-- decimal literal made from a validated id: a literal lets DuckDB use the ART index.
SELECT min(start_min) AS lo, max(start_max) AS hi
FROM trace_index
WHERE trace_id = {{trace_id}}::UHUGEINT;
