-- For each tag key of a search: its 1-based position in each attribute key
-- set that holds it (schema 4). Tags no key set holds get no row. Read from
-- the table in the search's transaction, like matching-resources.sql.
SELECT t.i AS tag, k.id AS keyset_id, list_position(k.keys, $keys[t.i]) AS pos
FROM (SELECT unnest(range(1, len($keys) + 1)) AS i) t
JOIN attribute_keysets k ON list_contains(k.keys, $keys[t.i]);
