-- Where in time a trace's rows of the cold trace index are (an ART probe:
-- the id is a decimal literal from a validated id); the hot part's window
-- comes from memory (hot-windows.ts).
SELECT min(start_min) AS lo, max(start_max) AS hi
FROM trace_index
WHERE trace_id = {{trace_id}}::UHUGEINT;
