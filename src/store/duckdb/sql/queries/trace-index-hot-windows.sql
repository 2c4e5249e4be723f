-- The hot trace index's window per trace, read once at open (hot-windows.ts).
SELECT trace_id, min(start_min) AS lo, max(start_max) AS hi
FROM trace_index_hot
GROUP BY trace_id;
