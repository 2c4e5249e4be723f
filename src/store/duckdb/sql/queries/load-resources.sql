-- The newest $limit resources (the catalog caches a bounded number; older
-- ones load by id when a read needs them). Every column, read by name: a
-- store opened at an older schema version (tests do) has no entity_refs yet.
SELECT * FROM resources ORDER BY id DESC LIMIT $limit;
