-- samples.sql for a short list of series (read-metrics.ts: up to
-- MAX_LISTED_SERIES ids): the ids as a list to look in instead of a semi
-- join, and their smallest and largest as a range ($lo, $hi) and metric
-- range ($metric_lo, $metric_hi) the scan filters on by itself (zone maps). A
-- semi join runs as a hash join, its own pipeline; a dashboard panel's 1 to
-- 34 series cost 0.9-1.9 ms CPU this way instead of 1.7-3.7 ms (bench/promql.md).
--
-- Same rows as samples.sql: settled rows rank below live ones (rowid - 2^53),
-- times and rowids as doubles.
SELECT series_id, t::DOUBLE AS t, v, (rowid - 9007199254740992)::DOUBLE AS rowid
FROM samples_settled
WHERE metric_id BETWEEN $metric_lo AND $metric_hi AND list_contains($metric_ids, metric_id)
  AND series_id BETWEEN $lo AND $hi AND list_contains($series_ids, series_id)
  AND t >= $min_t AND t <= $max_t
UNION ALL
SELECT series_id, t::DOUBLE AS t, v, rowid::DOUBLE AS rowid
FROM samples
WHERE series_id BETWEEN $lo AND $hi AND list_contains($series_ids, series_id)
  AND t >= $min_t AND t <= $max_t;
