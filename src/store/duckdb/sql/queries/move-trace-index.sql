-- Moves one slice of the hot part of the trace index into the cold part
-- (trace_index, with its ART): the hot rows up to $rows of them in write
-- order (rowid), none past $last (the last row when the move began), one
-- row per trace per slice, in time order. A move is a run of these, one per
-- transaction and write turn, so writes wait for one slice, not the whole
-- move. The cold ART is rewritten at the next checkpoint. A trace with rows
-- in both tables, or in two cold rows (spans written across a move or a
-- slice), is aggregated by every reader.
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
WHERE rowid <= least($last, (SELECT min(rowid) FROM trace_index_hot) + $rows - 1)
GROUP BY trace_id
ORDER BY min(start_min);

DELETE FROM trace_index_hot
WHERE rowid <= least($last, (SELECT min(rowid) FROM trace_index_hot) + $rows - 1);
