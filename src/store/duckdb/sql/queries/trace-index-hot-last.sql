-- Where a move of the hot trace index ends: its last row when it begins
-- (rows appended later have higher rowids; a checkpoint's compaction only
-- ever lowers them).
SELECT max(rowid) FROM trace_index_hot;
