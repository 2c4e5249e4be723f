-- Every column, read by name: a store opened at an older schema version
-- (tests do) has no entity_refs column yet.
SELECT * FROM resources ORDER BY id;
