-- The most recent matching spans (their traces are the candidates for a
-- search sorted by recency; see searchRecent in search.ts). No join, so
-- the top-N skips the row groups older than the k-th match found so far.
SELECT trace_id, start_ns
FROM spans_matching($start, $end, $service, $operation, $kind, $min_duration, $max_duration, NULL,
    $k1, $v1, $n1, $r1, $p1, $k2, $v2, $n2, $r2, $p2, $k3, $v3, $n3, $r3, $p3, $tag_keys, $tag_values, $tag_rids, $tag_pos)
ORDER BY start_ns DESC
LIMIT $k;
