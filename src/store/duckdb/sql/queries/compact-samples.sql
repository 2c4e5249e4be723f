-- Move one closed time block [$from_t, $to_t) of `samples` into
-- `samples_settled` from compact_block (compact-samples-stage.sql, ordered by
-- (metric_id, series_id, t)), so a metric's rows sit together and the zone
-- maps on metric_id let a selector skip the other metrics. The moved rows
-- get rowids above every settled row, and a sample written into this block's
-- time later lands in `samples`, which reads rank above `samples_settled`:
-- the last write still wins. Runs inside one transaction with the record of
-- the block.
INSERT INTO compacted_sample_blocks
SELECT $block,
       (SELECT count(*) FROM samples WHERE t >= $from_t AND t < $to_t),
       (SELECT count(*) FROM compact_block);

DELETE FROM samples WHERE t >= $from_t AND t < $to_t;

-- In compact_block's order: DuckDB preserves insertion order (its default,
-- preserve_insertion_order), and sorting here would hold the writer ~2x longer.
INSERT INTO samples_settled SELECT metric_id, series_id, t, v FROM compact_block;

DROP TABLE compact_block;
