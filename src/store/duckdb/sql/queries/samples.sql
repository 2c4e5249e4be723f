-- Samples of the given series in range; a timestamp written twice keeps the last value.
SELECT series_id, t, arg_max(v, rowid) AS v
FROM samples
WHERE series_id IN (SELECT unnest($series_ids)) AND t >= $min_t AND t <= $max_t
GROUP BY series_id, t
ORDER BY series_id, t;
