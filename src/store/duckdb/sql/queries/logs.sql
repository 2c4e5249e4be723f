SELECT time_unix_nano, observed_time_unix_nano, severity_number, severity_text, body, attributes,
       dropped_attributes_count, flags, trace_id, span_id, event_name, resource_id, scope_id
FROM logs
WHERE time_ns >= $start AND time_ns < $end
  AND ($service IS NULL OR service = $service)
  AND ($min_severity IS NULL OR severity_number >= $min_severity)
  AND ($text IS NULL OR contains(lower(substr(body, 2)), lower($text)))
  AND ($trace_id IS NULL OR trace_id = $trace_id)
  AND ($span_id IS NULL OR span_id = $span_id)
ORDER BY time_ns DESC
LIMIT $limit;
