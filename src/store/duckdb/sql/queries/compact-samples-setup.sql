-- Which time blocks (10 minutes) of samples compact-samples.sql has rewritten in
-- (series_id, t) order, so a restart does not redo them. Created here rather
-- than by a migration so that an older otel-lab (which ignores the table)
-- can still open the store. Blocks that retention emptied are forgotten
-- (floor division: a block of negative times is numbered like the code does).
CREATE TABLE IF NOT EXISTS compacted_sample_blocks (
  block BIGINT NOT NULL,
  rows_before BIGINT NOT NULL,
  rows_after BIGINT NOT NULL
);

DELETE FROM compacted_sample_blocks
WHERE block < coalesce(floor((SELECT min(t) FROM samples) / $block_ms)::BIGINT, 9223372036854775807);
