-- samples.sql when some of the metrics have no id in sample_metrics yet (its
-- ids are then looked up here, in the same snapshot as the samples: a
-- compaction may intern the metric and move its rows meanwhile). The semi
-- join costs ~0.5 ms more per selector than ids passed in.
--
-- Samples of the given series (of the metrics $metrics) in range, in no
-- particular order: read-metrics.ts groups them by series, sorts by (t,
-- rowid) and keeps the last write of a timestamp (its highest rowid).
-- Without GROUP BY/ORDER BY the query costs 0.6-0.7x as much
-- (bench/promql.md). Settled rows rank below live ones (rowid - 2^53): a
-- live row of a settled block's time was written after the block moved.
-- The metric filter lets the zone maps on metric_id skip other metrics'
-- row groups (a metric's series ids are spread over the id range).
SELECT series_id, t::DOUBLE AS t, v, (rowid - 9007199254740992)::DOUBLE AS rowid
FROM samples_settled
WHERE metric_id IN (SELECT id FROM sample_metrics WHERE metric IN (SELECT unnest($metrics)))
  AND series_id IN (SELECT unnest($series_ids)) AND t >= $min_t AND t <= $max_t
UNION ALL
SELECT series_id, t::DOUBLE AS t, v, rowid::DOUBLE AS rowid
FROM samples
WHERE series_id IN (SELECT unnest($series_ids)) AND t >= $min_t AND t <= $max_t;
