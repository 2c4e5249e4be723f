-- Moves the hot part of the trace index into the cold part (trace_index,
-- with its ART), one row per trace, in time order. The cold ART is then
-- rewritten once, at the next checkpoint, instead of at every checkpoint.
-- A trace with rows in both tables afterwards (spans written across a move)
-- is aggregated by every reader.
INSERT INTO trace_index
SELECT trace_id,
       min(start_min),
       max(start_max),
       max(end_max),
       sum(span_count)::UINTEGER,
       sum(error_count)::UINTEGER,
       arg_min(root_service, root_start) FILTER (WHERE root_start IS NOT NULL),
       arg_min(root_name, root_start) FILTER (WHERE root_start IS NOT NULL),
       min(root_start),
       arg_min(first_service, start_min),
       arg_min(first_name, start_min)
FROM trace_index_hot
GROUP BY trace_id
ORDER BY min(start_min);

DELETE FROM trace_index_hot;
