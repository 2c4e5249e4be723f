-- Span count per service for a few traces, within their overall time window.
SELECT trace_id, service, count(*)::BIGINT AS n
FROM spans
WHERE start_ns >= $lo AND start_ns <= $hi
  AND trace_id IN (SELECT unnest($trace_ids))
GROUP BY trace_id, service;
