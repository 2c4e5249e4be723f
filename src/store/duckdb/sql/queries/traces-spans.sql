-- The spans of several traces in one scan of the joint time window their
-- index rows gave (getTraces), ordered as getTrace orders one trace.
-- The trace test is spansOfTraces in read-traces.ts.
SELECT trace_id, span_id, parent_span_id, name, kind, start_ns, duration_ns,
       resource_id, scope_id, status_code, flags, extras,
       keyset_id, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, attributes_rest
FROM spans
WHERE start_ns >= $lo AND start_ns <= $hi AND {{of_traces}}
ORDER BY trace_id, start_ns, span_id;
