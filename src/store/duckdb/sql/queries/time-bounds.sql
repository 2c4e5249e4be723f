-- Oldest and newest data in nanoseconds across signals, for size-based retention.
SELECT min(lo) AS lo, max(hi) AS hi FROM (
  SELECT min(start_ns) AS lo, max(start_ns) AS hi FROM spans
  UNION ALL SELECT min(time_ns), max(time_ns) FROM logs
  UNION ALL SELECT min(time_ns), max(time_ns) FROM metric_points
  UNION ALL SELECT min(t) * 1000000, max(t) * 1000000 FROM samples
  UNION ALL SELECT min(t) * 1000000, max(t) * 1000000 FROM samples_settled
);
