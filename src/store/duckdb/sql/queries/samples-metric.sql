-- samples.sql when the series asked for are every series of their metrics (a
-- selector naming only the metric): settled rows are found by metric alone,
-- without a series filter. A row of a series created since the ids were
-- looked up is dropped by read-metrics.ts, as for any id it did not ask for.
-- A whole metric of 204 series: 6.0-7.5 -> 4.0-6.2 ms CPU (bench/promql.md).
--
-- Same rows as samples.sql: settled rows rank below live ones (rowid - 2^53),
-- times and rowids as doubles.
SELECT series_id, t::DOUBLE AS t, v, (rowid - 9007199254740992)::DOUBLE AS rowid
FROM samples_settled
WHERE metric_id BETWEEN $metric_lo AND $metric_hi AND list_contains($metric_ids, metric_id)
  AND t >= $min_t AND t <= $max_t
UNION ALL
SELECT series_id, t::DOUBLE AS t, v, rowid::DOUBLE AS rowid
FROM samples
WHERE series_id IN (SELECT unnest($series_ids)) AND t >= $min_t AND t <= $max_t;
