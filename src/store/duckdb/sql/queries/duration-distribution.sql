-- Count, interpolated quantiles and log2 buckets in one pass. The bucket
-- exponent follows bucketExponent() in src/store/span-match.ts. The WHERE
-- clause is spansMatching in search-filter.ts, as a search's (only the
-- fields given, no joins).
SELECT count(*)::BIGINT AS n,
       quantile_cont(duration_ns, [0.5, 0.9, 0.95, 0.99, 0.999]) AS q,
       histogram(CASE WHEN duration_ns <= 1024 THEN 10
                      ELSE least(ceil(log2(duration_ns))::INTEGER, 44) END) AS buckets
FROM spans
WHERE {{filter}};
