-- Count, interpolated quantiles and log2 buckets in one pass. The bucket
-- exponent follows bucketExponent() in src/store/span-match.ts.
SELECT count(*)::BIGINT AS n,
       quantile_cont(duration_ns, [0.5, 0.9, 0.95, 0.99, 0.999]) AS q,
       histogram(CASE WHEN duration_ns <= 1024 THEN 10
                      ELSE least(ceil(log2(duration_ns))::INTEGER, 44) END) AS buckets
FROM filtered_spans($start, $end, $service, $operation, NULL, $min_duration, $max_duration, $status, 
    $k1, $v1, $n1, $k2, $v2, $n2, $k3, $v3, $n3, $tag_keys, $tag_values);
