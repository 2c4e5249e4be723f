-- A recent-first search's ranking and its likely answer in one statement
-- (during ingest each statement also waits its turn on the event loop):
-- the cold trace index's windows of the candidate traces (ART lookups of
-- literals from validated ids; the hot part's windows are in memory), and
-- the spans of the traces expected on top in their joint window. Window
-- rows have `lo` set. From schema 7 also one row with `write_seq`: the
-- last span write this snapshot includes, at least (which of the traces'
-- writes the spans read hold, for the searched-spans cache).
-- No parameters, only literals our code made (ids, times, a count): a
-- statement with parameters takes three native calls (extract, prepare,
-- execute), each resumed by an event-loop turn; without, one.
SELECT *
FROM (
  (SELECT trace_id, min(start_min) AS lo, max(start_max) AS hi
   FROM trace_index
   WHERE trace_id IN ({{candidate_ids}})
   GROUP BY trace_id)
  UNION ALL BY NAME
  (SELECT trace_id, span_id, parent_span_id, name, kind, start_ns, duration_ns,
          resource_id, scope_id, status_code, flags, extras,
          keyset_id, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, attributes_rest
   FROM spans
   WHERE start_ns >= {{lo}} AND start_ns <= {{hi}} AND {{of_top}}
   LIMIT {{max_spans}})
  {{seen_writes}}
)
ORDER BY trace_id, start_ns, span_id;
