-- The most recent matching spans (their traces are the candidates for a
-- search sorted by recency; see searchRecent in search.ts). No join, so
-- the top-N skips the row groups older than the k-th match found so far.
-- The WHERE clause is spansMatching in search-filter.ts (span-match.ts's
-- rules, naming only the columns this search needs).
SELECT trace_id, start_ns
FROM spans
WHERE {{filter}}
ORDER BY start_ns DESC
LIMIT $k;
