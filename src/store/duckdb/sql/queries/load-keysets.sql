-- The newest $limit attribute key sets (at most MAX_KEYSETS exist; see catalog.ts).
SELECT id, keys FROM attribute_keysets ORDER BY id DESC LIMIT $limit;
