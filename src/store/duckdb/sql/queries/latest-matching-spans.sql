-- The most recent matching spans (their traces are the candidates for a
-- search sorted by recency; see searchRecent in read-traces.ts).
SELECT trace_id, start_ns
FROM filtered_spans($start, $end, $service, $operation, $kind, $min_duration, $max_duration, NULL,
    $k1, $v1, $n1, $k2, $v2, $n2, $k3, $v3, $n3, $tag_keys, $tag_values)
ORDER BY start_ns DESC
LIMIT $k;
