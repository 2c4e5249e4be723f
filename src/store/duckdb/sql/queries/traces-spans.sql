-- The spans of several traces in one scan of the joint time window their
-- index rows gave (getTraces), ordered as getTrace orders one trace.
SELECT trace_id, span_id, parent_span_id, name, kind, start_ns, duration_ns,
       resource_id, scope_id, attributes, status_code, flags, extras
FROM spans
WHERE start_ns >= $lo AND start_ns <= $hi AND trace_id IN ({{trace_ids}})
ORDER BY trace_id, start_ns, span_id;
