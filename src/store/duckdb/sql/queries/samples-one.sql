-- samples.sql for a single series: an equality filter plans cheaper than the
-- IN list (about 0.3 ms less per selector, bench/promql.md).
-- $metric_id: the series' metric in sample_metrics.
SELECT series_id, t::DOUBLE AS t, v, (rowid - 9007199254740992)::DOUBLE AS rowid
FROM samples_settled
WHERE metric_id = $metric_id
  AND series_id = $series_id AND t >= $min_t AND t <= $max_t
UNION ALL
SELECT series_id, t::DOUBLE AS t, v, rowid::DOUBLE AS rowid
FROM samples
WHERE series_id = $series_id AND t >= $min_t AND t <= $max_t;
