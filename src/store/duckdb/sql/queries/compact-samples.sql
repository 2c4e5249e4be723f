-- Rewrite the samples of one closed time block [$from_t, $to_t) ordered by
-- (series_id, t), so each series' rows sit together and the zone maps on
-- series_id let a selector skip the rest. One row per series and time is
-- kept: the last write (highest rowid), which is what read-metrics.ts would
-- have picked. A series is its key (series.labels): a key stored under
-- several ids reads as one series, merged by rowid, so its duplicates are
-- resolved across those ids here (the ordering by id would otherwise decide
-- between them). The new rows get rowids above every row written before, so
-- a sample written into this block's time later still wins by its rowid.
-- Runs inside one transaction with the record of the block.
CREATE OR REPLACE TEMP TABLE compact_same_key AS
  SELECT id, min(id) OVER (PARTITION BY labels) AS k
  FROM series
  WHERE labels IN (SELECT labels FROM series GROUP BY labels HAVING count(*) > 1);

CREATE OR REPLACE TEMP TABLE compact_block AS
  SELECT arg_max(s.series_id, s.rowid) AS series_id, s.t, arg_max(s.v, s.rowid) AS v
  FROM samples s LEFT JOIN compact_same_key d ON d.id = s.series_id
  WHERE s.t >= $from_t AND s.t < $to_t
  GROUP BY coalesce(d.k, s.series_id), s.t;

INSERT INTO compacted_sample_blocks
SELECT $block,
       (SELECT count(*) FROM samples WHERE t >= $from_t AND t < $to_t),
       (SELECT count(*) FROM compact_block);

DELETE FROM samples WHERE t >= $from_t AND t < $to_t;

INSERT INTO samples SELECT series_id, t, v FROM compact_block ORDER BY series_id, t;

DROP TABLE compact_block;

DROP TABLE compact_same_key;
