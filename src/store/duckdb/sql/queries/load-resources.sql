SELECT id, attributes, dropped_attributes_count, schema_url FROM resources ORDER BY id;
