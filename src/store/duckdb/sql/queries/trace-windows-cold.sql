-- trace-window-cold.sql for several traces (getTraces).
SELECT trace_id, min(start_min) AS lo, max(start_max) AS hi
FROM trace_index
WHERE trace_id IN ({{trace_ids}})
GROUP BY trace_id;
