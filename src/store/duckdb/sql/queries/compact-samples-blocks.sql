-- The blocks compact-samples.sql has already rewritten.
SELECT block FROM compacted_sample_blocks ORDER BY block;
