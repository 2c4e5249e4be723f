-- What identifies the state of a block's rows: any write into the block's
-- time adds a higher rowid, any delete lowers the count.
SELECT count(*), max(rowid) FROM samples WHERE t >= $from_t AND t < $to_t;
