SELECT series_id FROM samples WHERE t >= $min_t AND t <= $max_t
UNION
SELECT series_id FROM samples_settled WHERE t >= $min_t AND t <= $max_t;
