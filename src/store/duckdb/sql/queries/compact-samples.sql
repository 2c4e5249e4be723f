-- Rewrite one closed time block [$from_t, $to_t) from compact_block
-- (compact-samples-stage.sql, ordered by (series_id, t)), so each series' rows
-- sit together and the zone maps on series_id let a selector skip the rest.
-- The new rows get rowids above every row written before, so a sample
-- written into this block's time later still wins by its rowid. Runs inside
-- one transaction with the record of the block.
INSERT INTO compacted_sample_blocks
SELECT $block,
       (SELECT count(*) FROM samples WHERE t >= $from_t AND t < $to_t),
       (SELECT count(*) FROM compact_block);

DELETE FROM samples WHERE t >= $from_t AND t < $to_t;

-- In compact_block's order: DuckDB preserves insertion order (its default,
-- preserve_insertion_order), and sorting here would hold the writer ~2x longer.
INSERT INTO samples SELECT series_id, t, v FROM compact_block;

DROP TABLE compact_block;

