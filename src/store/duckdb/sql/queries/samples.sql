-- Samples of the given series in range, in no particular order: read-metrics.ts
-- groups them by series, sorts by (t, rowid) and keeps the last write of a
-- timestamp (its highest rowid). Without GROUP BY/ORDER BY the query costs
-- 0.6-0.7x as much (bench/promql.md).
SELECT series_id, t, v, rowid
FROM samples
WHERE series_id IN (SELECT unnest($series_ids)) AND t >= $min_t AND t <= $max_t;
