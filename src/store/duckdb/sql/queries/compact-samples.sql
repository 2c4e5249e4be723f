-- Rewrite the samples of one closed time block [$from_t, $to_t) ordered by
-- (series_id, t), so each series' rows sit together and the zone maps on
-- series_id let a selector skip the rest. One row per (series_id, t) is
-- kept: the last write (highest rowid), which is what read-metrics.ts would
-- have picked. The new rows get rowids above every row written before, so a
-- sample written into this block's time later still wins by its rowid.
-- Runs inside one transaction with the record of the block.
CREATE OR REPLACE TEMP TABLE compact_block AS
  SELECT series_id, t, arg_max(v, rowid) AS v
  FROM samples
  WHERE t >= $from_t AND t < $to_t
  GROUP BY series_id, t;

INSERT INTO compacted_sample_blocks
SELECT $block,
       (SELECT count(*) FROM samples WHERE t >= $from_t AND t < $to_t),
       (SELECT count(*) FROM compact_block);

DELETE FROM samples WHERE t >= $from_t AND t < $to_t;

INSERT INTO samples SELECT series_id, t, v FROM compact_block ORDER BY series_id, t;

DROP TABLE compact_block;
