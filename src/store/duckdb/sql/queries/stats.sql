SELECT (SELECT count(*) FROM spans)::BIGINT AS spans,
       (SELECT count(*) FROM logs)::BIGINT AS logs,
       (SELECT count(*) FROM metric_points)::BIGINT AS metric_points,
       (SELECT count(*) FROM series)::BIGINT AS series,
       ((SELECT count(*) FROM samples) + (SELECT count(*) FROM samples_settled))::BIGINT AS samples,
       -- Blocks deletes freed: DuckDB reuses them but keeps the file's size.
       (SELECT free_blocks::BIGINT * block_size::BIGINT FROM pragma_database_size()
        WHERE database_name = current_database()) AS free_bytes;
