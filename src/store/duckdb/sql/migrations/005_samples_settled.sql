-- Samples of settled time blocks, ordered per block by metric (issue 5).
-- A metric's series ids are spread over the whole id range (series are
-- created as services report them), so ordering a block by series_id let a
-- selector skip nothing but other blocks. Compaction (compact-samples.ts)
-- moves each closed 10-minute block out of `samples` into `samples_settled`
-- ordered by (metric_id, series_id, t): the zone maps on metric_id then skip
-- the row groups of other metrics. `samples` keeps its columns (the write
-- path appends to it) and holds only the blocks not moved yet, plus samples
-- written into a block's time after its move; a read takes both, the live
-- row winning (it was written later).
--
-- `sample_metrics` interns metric names (series.metric) for this; ids are
-- never reused or renumbered.
--
-- This file is numbered 005 on its branch; it may be renumbered at merge.

CREATE TABLE sample_metrics (
  id UINTEGER NOT NULL,
  metric VARCHAR NOT NULL
);

CREATE TABLE samples_settled (
  metric_id UINTEGER NOT NULL,
  series_id UINTEGER NOT NULL,
  t BIGINT NOT NULL,
  v DOUBLE NOT NULL
);

-- Blocks compacted in place by earlier versions are moved by the next
-- compactions (one block per minute) rather than here: moving a week of
-- samples would hold the store's opening for minutes. Until then they are
-- read from `samples` as before.
CREATE TABLE IF NOT EXISTS compacted_sample_blocks (
  block BIGINT NOT NULL,
  rows_before BIGINT NOT NULL,
  rows_after BIGINT NOT NULL
);
DELETE FROM compacted_sample_blocks;
