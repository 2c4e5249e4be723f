-- The largest span write sequence number stored (schema 7): writes are numbered on from it.
SELECT max(write_seq) FROM trace_index_hot;
