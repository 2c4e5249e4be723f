-- A trace's spans, found inside the time window the trace index gave, so
-- zone maps on start_ns skip every other row group.
SELECT trace_id, span_id, parent_span_id, name, kind, start_ns, duration_ns,
       resource_id, scope_id, attributes, status_code, flags, extras
FROM spans
WHERE start_ns >= $lo AND start_ns <= $hi AND trace_id = {{trace_id}}::UHUGEINT
ORDER BY start_ns, span_id;
