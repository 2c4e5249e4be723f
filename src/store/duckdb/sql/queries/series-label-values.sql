-- Values of label $name over the series of the given metrics that have
-- samples in range: all of /label/x/values in SQL when every matcher is a
-- metric name and memory lost some of those series (series-index.ts).
SELECT DISTINCT p[2] AS value
FROM (
  SELECT unnest(from_json(labels, '[["VARCHAR"]]')) AS p
  FROM series
  WHERE metric IN (SELECT unnest($metrics))
    AND id IN (SELECT series_id FROM samples WHERE t >= $min_t AND t <= $max_t
               UNION ALL
               SELECT series_id FROM samples_settled WHERE t >= $min_t AND t <= $max_t)
)
WHERE p[1] = $name;
