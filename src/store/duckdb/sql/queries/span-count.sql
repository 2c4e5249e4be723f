SELECT count(*)::BIGINT AS n
FROM filtered_spans($start, $end, $service, $operation, NULL, $min_duration, $max_duration, $status, 
    $k1, $v1, $n1, $k2, $v2, $n2, $k3, $v3, $n3, $tag_keys, $tag_values);
