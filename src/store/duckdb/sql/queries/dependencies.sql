-- Parent -> child edges across services, both spans starting in the range.
SELECT p.service AS parent, c.service AS child,
       count(*)::BIGINT AS calls,
       (count(*) FILTER (WHERE c.status_code = 2))::BIGINT AS errors
FROM spans c
JOIN spans p ON p.trace_id = c.trace_id AND p.span_id = c.parent_span_id
WHERE c.start_ns >= $start AND c.start_ns < $end
  AND p.start_ns >= $start AND p.start_ns < $end
  AND p.service <> c.service
GROUP BY p.service, c.service
ORDER BY parent, child;
