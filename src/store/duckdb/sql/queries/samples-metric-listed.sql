-- samples-metric.sql for up to MAX_LISTED_SERIES series (read-metrics.ts):
-- the live rows' series looked up in a list, as in samples-listed.sql.
SELECT series_id, t::DOUBLE AS t, v, (rowid - 9007199254740992)::DOUBLE AS rowid
FROM samples_settled
WHERE metric_id BETWEEN $metric_lo AND $metric_hi AND list_contains($metric_ids, metric_id)
  AND t >= $min_t AND t <= $max_t
UNION ALL
SELECT series_id, t::DOUBLE AS t, v, rowid::DOUBLE AS rowid
FROM samples
WHERE series_id BETWEEN $lo AND $hi AND list_contains($series_ids, series_id)
  AND t >= $min_t AND t <= $max_t;
