-- Value counts per span attribute key over the filtered spans; the most
-- frequent $max_values values per key.
-- Slot values are counted per key set and slot in one pass (a grouping set
-- per slot), then named by their key set's keys: unnesting every span's
-- slots into (key, value) rows first took 2.0 s for one service's 2.5M
-- spans and 10-12 s for 10M, against 0.4 and 0.7 s (bench/RESULTS.md,
-- session 7). The JSON remainder (spans whose key set did not fit) is unnested.
-- The WHERE clause is spansMatching in search-filter.ts, as a search's: only
-- the fields given, no join (the generic filtered_spans macro, testing every
-- field and slot with its joins, made 4.7 s of the 10M-span read above).
-- The spans' count comes first, in a row of its own (key NULL).
WITH f AS NOT MATERIALIZED (
  SELECT keyset_id, a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, attributes_rest
  FROM spans
  WHERE {{filter}}
),
per_slot AS (
  -- GROUPING(a0..a15) has a 1 bit for each slot not grouped, a0 the highest:
  -- in the set (keyset_id, a_i) every bit but slot i's.
  SELECT keyset_id, coalesce(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15) AS tagged,
         GROUPING(a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15) AS others, count(*)::BIGINT AS n
  FROM f
  WHERE keyset_id IS NOT NULL
  GROUP BY GROUPING SETS ((keyset_id, a0), (keyset_id, a1), (keyset_id, a2), (keyset_id, a3), (keyset_id, a4), (keyset_id, a5), (keyset_id, a6), (keyset_id, a7), (keyset_id, a8), (keyset_id, a9), (keyset_id, a10), (keyset_id, a11), (keyset_id, a12), (keyset_id, a13), (keyset_id, a14), (keyset_id, a15))
),
kv AS (
  SELECT ks.keys[16 - CAST(log2(65535 - p.others) AS INTEGER)] AS key,
         substr(p.tagged, 2) AS value, p.n
  FROM per_slot p
  JOIN attribute_keysets ks ON ks.id = p.keyset_id
  WHERE p.tagged IS NOT NULL
  UNION ALL
  SELECT j.key AS key, substr(j.value ->> '$', 2) AS value, 1 AS n
  FROM f, json_each(f.attributes_rest) j
  WHERE f.keyset_id IS NULL
),
counted AS (
  SELECT key, value, sum(n)::BIGINT AS n FROM kv GROUP BY key, value
),
ranked AS (
  SELECT key, value, n,
         (sum(n) OVER (PARTITION BY key))::BIGINT AS key_spans,
         row_number() OVER (PARTITION BY key ORDER BY n DESC, value) AS rk
  FROM counted
)
SELECT key, key_spans, value, n
FROM (
  SELECT NULL AS key, (SELECT count(*) FROM f)::BIGINT AS key_spans, NULL AS value,
         NULL::BIGINT AS n, 0 AS rk
  UNION ALL
  SELECT key, key_spans, value, n, rk FROM ranked WHERE rk <= $max_values
)
ORDER BY key NULLS FIRST, rk;
