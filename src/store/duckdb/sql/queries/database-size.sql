SELECT used_blocks::BIGINT * block_size::BIGINT AS used_bytes FROM pragma_database_size() WHERE database_name = current_database();
