-- Where in time a trace's rows of the cold trace index are: an ART probe
-- (DuckDB probes the index for a parameter as for a literal); the hot
-- part's window comes from memory (hot-windows.ts). Kept prepared per
-- connection (readPrepared): the same text for every id.
SELECT min(start_min) AS lo, max(start_max) AS hi
FROM trace_index
WHERE trace_id = $trace_id;
