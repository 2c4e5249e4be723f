-- Which time blocks (10 minutes) of samples compact-samples.sql has moved
-- into `samples_settled`, so a restart does not redo them (migration 005
-- creates it too; created here as well so that the tests' older stores and
-- this file agree). Blocks that retention emptied in both tables are
-- forgotten (floor division: a block of negative times is numbered like the
-- code does).
CREATE TABLE IF NOT EXISTS compacted_sample_blocks (
  block BIGINT NOT NULL,
  rows_before BIGINT NOT NULL,
  rows_after BIGINT NOT NULL
);

DELETE FROM compacted_sample_blocks
WHERE block < coalesce(
  floor(least((SELECT min(t) FROM samples), (SELECT min(t) FROM samples_settled)) / $block_ms)::BIGINT,
  9223372036854775807);
