-- Schema version 3: OTLP 1.9 Resource.entity_refs, as a JSON array of
-- {"s": schema_url, "t": type, "i": id_keys, "d": description_keys}; NULL
-- when the resource has none (every resource stored before this version).

ALTER TABLE resources ADD COLUMN entity_refs VARCHAR;
