-- Rows in the hot part of the trace index (when to move it into the cold part).
SELECT count(*)::BIGINT FROM trace_index_hot;
