-- samples.sql for a single series: an equality filter plans cheaper than the
-- IN list (about 0.3 ms less per selector, bench/promql.md).
SELECT series_id, t, v, rowid - 9007199254740992 AS rowid
FROM samples_settled
WHERE metric_id IN (SELECT id FROM sample_metrics WHERE metric = $metric)
  AND series_id = $series_id AND t >= $min_t AND t <= $max_t
UNION ALL
SELECT series_id, t, v, rowid
FROM samples
WHERE series_id = $series_id AND t >= $min_t AND t <= $max_t;
