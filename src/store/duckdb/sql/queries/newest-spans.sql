-- Where the newest row group's worth of stored spans begins and ends
-- (newestSpans in search.ts): one row, so that only two values reach
-- JavaScript (reading the $k rows themselves cost ~0.5 s of the event loop
-- at 10M spans, against 13 ms for this). NULLs when there are no spans.
SELECT max(start_ns) AS newest, min(start_ns) AS oldest
FROM (SELECT start_ns FROM spans ORDER BY start_ns DESC LIMIT $k);
