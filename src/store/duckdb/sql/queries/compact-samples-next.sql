-- The oldest sample time in [$from_t, $before_t): where the next block to
-- look at begins. Rows are in time order (or clustered per block), so the
-- zone maps on t skip the row groups below $from_t.
SELECT min(t) FROM samples WHERE t >= $from_t AND t < $before_t;
