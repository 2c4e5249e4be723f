SELECT DISTINCT series_id FROM samples WHERE t >= $min_t AND t <= $max_t;
