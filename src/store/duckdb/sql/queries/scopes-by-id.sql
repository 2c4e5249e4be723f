-- Scopes a read met that the catalog's cache no longer holds (see resources-by-id.sql).
SELECT id, name, version, attributes, dropped_attributes_count, schema_url
FROM scopes WHERE {{ranges}};
