-- Span count per service for a few traces, within their overall time window.
-- {{trace_ids}} as in trace-summaries.sql.
SELECT trace_id, service, count(*)::BIGINT AS n
FROM spans
WHERE start_ns >= $lo AND start_ns <= $hi
  AND trace_id IN ({{trace_ids}})
GROUP BY trace_id, service;
