-- The newest $limit scopes (see load-resources.sql).
SELECT id, name, version, attributes, dropped_attributes_count, schema_url
FROM scopes ORDER BY id DESC LIMIT $limit;
