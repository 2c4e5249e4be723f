-- The rows of one closed time block [$from_t, $to_t) as compaction leaves
-- them, in (series_id, t) order: one row per series and time, the last write (highest rowid), which is
-- what read-metrics.ts would have picked. A series is its key
-- (series.labels): a key stored under several ids reads as one series,
-- merged by rowid, so its duplicates are resolved across those ids here (the
-- ordering by id would otherwise decide between them). Built in its own turn
-- of the write queue, before the transaction of compact-samples.sql, which
-- rebuilds it if the block changed in between (compact-samples-mark.sql).
CREATE OR REPLACE TEMP TABLE compact_same_key AS
  SELECT id, min(id) OVER (PARTITION BY labels) AS k
  FROM series
  WHERE labels IN (SELECT labels FROM series GROUP BY labels HAVING count(*) > 1);

CREATE OR REPLACE TEMP TABLE compact_block AS
  SELECT arg_max(s.series_id, s.rowid) AS series_id, s.t, arg_max(s.v, s.rowid) AS v
  FROM samples s LEFT JOIN compact_same_key d ON d.id = s.series_id
  WHERE s.t >= $from_t AND s.t < $to_t
  GROUP BY coalesce(d.k, s.series_id), s.t
  ORDER BY series_id, s.t;

DROP TABLE compact_same_key;
