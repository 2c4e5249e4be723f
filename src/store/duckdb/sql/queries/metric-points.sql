SELECT time_ns, start_ns, type, name, description, unit, metadata, resource_id, scope_id, attributes,
       flags, temporality, is_monotonic, value_double, value_int, count, sum, min, max,
       bucket_counts, explicit_bounds, scale, zero_count, zero_threshold, positive_offset,
       positive_bucket_counts, negative_offset, negative_bucket_counts, quantiles, quantile_values,
       exemplars
FROM metric_points
WHERE time_ns >= $start AND time_ns < $end
  AND ($name IS NULL OR name = $name)
  AND ($service IS NULL OR service = $service)
ORDER BY time_ns DESC
LIMIT $limit;
