SELECT series_id, t, v, labels
FROM exemplars
WHERE series_id IN (SELECT unnest($series_ids)) AND t >= $min_t AND t <= $max_t
ORDER BY series_id, t, rowid;
