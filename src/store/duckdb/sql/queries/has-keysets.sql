-- One row when the store has attribute key sets (schema version 4 or later).
SELECT 1 FROM duckdb_tables() WHERE table_name = 'attribute_keysets' AND schema_name = 'main';
