-- Schema version 4: span attributes as an interned key set plus values by
-- position (issue 4: the keys were most of the attribute bytes). A span whose
-- keys are one of the interned key sets (at most 16 keys, at most
-- MAX_KEYSETS = 4096 sets, keys of at most MAX_KEYSET_CHARS = 2048
-- characters together, see catalog.ts) has `keyset_id` and its tagged
-- values in a0..a15 in key order (the same text the JSON held), NULL beyond
-- its key count, and `attributes_rest` NULL. Any other span has `keyset_id`
-- NULL and its whole attribute object in `attributes_rest` (the JSON of
-- versions 1-3). Old rows are converted here; their key sets are interned in
-- order of first appearance.

CREATE TABLE attribute_keysets (
  id UINTEGER NOT NULL,
  keys VARCHAR[] NOT NULL
);

INSERT INTO attribute_keysets
SELECT (row_number() OVER (ORDER BY first))::UINTEGER, keys
FROM (
  SELECT keys, min(rn) AS first
  FROM (SELECT json_keys(attributes) AS keys, rowid AS rn FROM spans)
  WHERE len(keys) <= 16 AND length(array_to_string(keys, '')) <= 2048
  GROUP BY keys
)
ORDER BY first
LIMIT 4096;

-- DuckDB cannot add, fill and drop columns of one table in one transaction:
-- the table is rebuilt instead, rows kept in their order (which follows time).
CREATE TABLE spans_v4 (
  trace_id UHUGEINT NOT NULL,
  span_id UBIGINT NOT NULL,
  parent_span_id UBIGINT,
  name VARCHAR NOT NULL,
  kind UTINYINT NOT NULL,
  start_ns BIGINT NOT NULL,
  duration_ns BIGINT NOT NULL,
  service VARCHAR NOT NULL,
  resource_id UINTEGER NOT NULL,
  scope_id UINTEGER NOT NULL,
  status_code UTINYINT NOT NULL,
  flags UINTEGER NOT NULL,
  extras VARCHAR,
  keyset_id UINTEGER,
  a0 VARCHAR,
  a1 VARCHAR,
  a2 VARCHAR,
  a3 VARCHAR,
  a4 VARCHAR,
  a5 VARCHAR,
  a6 VARCHAR,
  a7 VARCHAR,
  a8 VARCHAR,
  a9 VARCHAR,
  a10 VARCHAR,
  a11 VARCHAR,
  a12 VARCHAR,
  a13 VARCHAR,
  a14 VARCHAR,
  a15 VARCHAR,
  attributes_rest VARCHAR
);

INSERT INTO spans_v4
SELECT s.trace_id, s.span_id, s.parent_span_id, s.name, s.kind, s.start_ns, s.duration_ns,
       s.service, s.resource_id, s.scope_id, s.status_code, s.flags, s.extras,
       k.id,
       json_extract_string(s.attributes, '$.' || to_json(k.keys[1])),
       json_extract_string(s.attributes, '$.' || to_json(k.keys[2])),
       json_extract_string(s.attributes, '$.' || to_json(k.keys[3])),
       json_extract_string(s.attributes, '$.' || to_json(k.keys[4])),
       json_extract_string(s.attributes, '$.' || to_json(k.keys[5])),
       json_extract_string(s.attributes, '$.' || to_json(k.keys[6])),
       json_extract_string(s.attributes, '$.' || to_json(k.keys[7])),
       json_extract_string(s.attributes, '$.' || to_json(k.keys[8])),
       json_extract_string(s.attributes, '$.' || to_json(k.keys[9])),
       json_extract_string(s.attributes, '$.' || to_json(k.keys[10])),
       json_extract_string(s.attributes, '$.' || to_json(k.keys[11])),
       json_extract_string(s.attributes, '$.' || to_json(k.keys[12])),
       json_extract_string(s.attributes, '$.' || to_json(k.keys[13])),
       json_extract_string(s.attributes, '$.' || to_json(k.keys[14])),
       json_extract_string(s.attributes, '$.' || to_json(k.keys[15])),
       json_extract_string(s.attributes, '$.' || to_json(k.keys[16])),
       CASE WHEN k.id IS NULL THEN s.attributes END
FROM spans s
LEFT JOIN attribute_keysets k ON k.keys = json_keys(s.attributes)
ORDER BY s.rowid;

DROP TABLE spans;
ALTER TABLE spans_v4 RENAME TO spans;
