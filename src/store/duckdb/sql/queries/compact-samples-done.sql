-- What compact-samples.sql recorded for one block.
SELECT rows_before, rows_after FROM compacted_sample_blocks WHERE block = $block;
