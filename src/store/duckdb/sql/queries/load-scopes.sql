SELECT id, name, version, attributes, dropped_attributes_count, schema_url FROM scopes ORDER BY id;
