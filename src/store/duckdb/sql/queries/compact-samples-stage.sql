-- The rows of one closed time block [$from_t, $to_t) of `samples` as
-- compaction moves them into `samples_settled`, in (metric_id, series_id, t)
-- order: one row per series and time, the last write (highest rowid), which is
-- what read-metrics.ts would have picked. A series is its key
-- (series.labels): a key stored under several ids reads as one series,
-- merged by rowid, so its duplicates are resolved across those ids here (the
-- ordering by id would otherwise decide between them). Built in its own turn
-- of the write queue, before the transaction of compact-samples.sql, which
-- rebuilds it if the block changed in between (compact-samples-mark.sql).

-- New metric names get the next ids (outside the transaction: an id given
-- to a metric whose move then fails is merely unused).
INSERT INTO sample_metrics
SELECT (SELECT coalesce(max(id), 0) FROM sample_metrics) + row_number() OVER (ORDER BY metric), metric
FROM (SELECT DISTINCT metric FROM series WHERE metric NOT IN (SELECT metric FROM sample_metrics));

CREATE OR REPLACE TEMP TABLE compact_same_key AS
  SELECT id, min(id) OVER (PARTITION BY labels) AS k
  FROM series
  WHERE labels IN (SELECT labels FROM series GROUP BY labels HAVING count(*) > 1);

-- A sample whose series row is missing keeps metric id 0 rather than be lost.
CREATE OR REPLACE TEMP TABLE compact_block AS
  SELECT coalesce(m.id, 0)::UINTEGER AS metric_id, b.series_id, b.t, b.v
  FROM (
    SELECT arg_max(s.series_id, s.rowid) AS series_id, s.t, arg_max(s.v, s.rowid) AS v
    FROM samples s LEFT JOIN compact_same_key d ON d.id = s.series_id
    WHERE s.t >= $from_t AND s.t < $to_t
    GROUP BY coalesce(d.k, s.series_id), s.t
  ) b
  LEFT JOIN (SELECT id, min(metric) AS metric FROM series GROUP BY id) n ON n.id = b.series_id
  LEFT JOIN sample_metrics m ON m.metric = n.metric
  ORDER BY metric_id, b.series_id, b.t;

DROP TABLE compact_same_key;
