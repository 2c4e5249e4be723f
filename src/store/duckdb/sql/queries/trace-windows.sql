-- Where in time each of several traces' spans are (getTraces). The ids are
-- decimal literals made from validated ids, as in trace-window.sql.
SELECT trace_id, min(start_min) AS lo, max(start_max) AS hi
FROM (
  SELECT trace_id, start_min, start_max FROM trace_index_hot WHERE trace_id IN ({{trace_ids}})
  UNION ALL
  SELECT trace_id, start_min, start_max FROM trace_index WHERE trace_id IN ({{trace_ids}})
)
GROUP BY trace_id;
