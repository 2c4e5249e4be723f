SELECT count(*)::BIGINT AS n
FROM filtered_spans($start, $end, $service, $operation, NULL, $min_duration, $max_duration, $status, $tag_keys, $tag_values);
