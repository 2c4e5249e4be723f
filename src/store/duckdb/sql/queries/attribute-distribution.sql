-- Value counts per span attribute key over the filtered spans; the most
-- frequent $max_values values per key.
-- Slot values are zipped with their key set's keys; the JSON remainder is unnested.
WITH f AS (
  SELECT *
  FROM filtered_spans($start, $end, $service, $operation, NULL, $min_duration, $max_duration, $status,
    $k1, $v1, $n1, $k2, $v2, $n2, $k3, $v3, $n3, $tag_keys, $tag_values)
),
slotted AS (
  SELECT unnest(f.keyset_keys) AS key,
         unnest(list_slice([f.a0, f.a1, f.a2, f.a3, f.a4, f.a5, f.a6, f.a7, f.a8, f.a9, f.a10, f.a11, f.a12, f.a13, f.a14, f.a15], 1, len(f.keyset_keys))) AS tagged
  FROM f
  WHERE f.keyset_id IS NOT NULL
),
kv AS (
  SELECT key, substr(tagged, 2) AS value FROM slotted
  UNION ALL
  SELECT j.key AS key, substr(j.value ->> '$', 2) AS value
  FROM f, json_each(f.attributes_rest) j
  WHERE f.keyset_id IS NULL
),
counted AS (
  SELECT key, value, count(*)::BIGINT AS n FROM kv GROUP BY key, value
),
ranked AS (
  SELECT key, value, n,
         (sum(n) OVER (PARTITION BY key))::BIGINT AS key_spans,
         row_number() OVER (PARTITION BY key ORDER BY n DESC, value) AS rk
  FROM counted
)
SELECT key, key_spans, value, n
FROM ranked
WHERE rk <= $max_values
ORDER BY key, rk;
