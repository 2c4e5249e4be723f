-- During a move: hot rows the move still has to take (rowid <= $last), and all hot rows.
SELECT count(*) FILTER (WHERE rowid <= $last)::BIGINT, count(*)::BIGINT FROM trace_index_hot;
