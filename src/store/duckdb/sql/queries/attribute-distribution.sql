-- Value counts per span attribute key over the filtered spans; the most
-- frequent $max_values values per key.
WITH kv AS (
  SELECT j.key AS key, substr(j.value ->> '$', 2) AS value
  FROM filtered_spans($start, $end, $service, $operation, NULL, $min_duration, $max_duration, $status, 
    $k1, $v1, $n1, $k2, $v2, $n2, $k3, $v3, $n3, $tag_keys, $tag_values) f,
       json_each(f.attributes) j
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
