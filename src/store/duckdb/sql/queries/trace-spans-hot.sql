-- A trace the hot index holds, in one statement: its spans in the window
-- memory gave (hot-windows.ts), and a last row, all span columns NULL, with
-- its window in the cold index (an ART probe; NULL when it has no cold
-- rows). When the cold window lies inside the hot one, the spans are all
-- there; otherwise the caller reads trace-spans.sql over both windows.
SELECT trace_id, span_id, parent_span_id, name, kind, start_ns, duration_ns,
       resource_id, scope_id, status_code, flags, extras,
       keyset_id, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, attributes_rest,
       NULL::BIGINT AS cold_lo, NULL::BIGINT AS cold_hi
FROM spans
WHERE start_ns >= $lo AND start_ns <= $hi AND trace_id = $trace_id
UNION ALL
SELECT NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       min(start_min), max(start_max)
FROM trace_index
WHERE trace_id = $trace_id
ORDER BY start_ns NULLS LAST, span_id;
