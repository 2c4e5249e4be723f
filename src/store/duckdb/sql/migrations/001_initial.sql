-- Schema version 1: every OTLP signal plus the Prometheus-model series.
-- Ids: trace ids UHUGEINT, span ids UBIGINT (NULL when absent).
-- Attribute sets are JSON objects of tagged values (see src/store/values.ts):
-- one letter for the type, then the text a search compares, e.g. "bfalse".

CREATE TABLE resources (
  id UINTEGER NOT NULL,
  service VARCHAR NOT NULL,
  attributes VARCHAR NOT NULL,
  dropped_attributes_count UINTEGER NOT NULL,
  schema_url VARCHAR NOT NULL
);

CREATE TABLE scopes (
  id UINTEGER NOT NULL,
  name VARCHAR NOT NULL,
  version VARCHAR NOT NULL,
  attributes VARCHAR NOT NULL,
  dropped_attributes_count UINTEGER NOT NULL,
  schema_url VARCHAR NOT NULL
);

-- Rows arrive in ingest order, which follows time: zone maps on start_ns
-- prune row groups for every time-bounded read. Fields that are almost
-- always empty (trace state, dropped counts, events, links, status message)
-- share one JSON column, NULL when all are empty: fewer columns to append
-- per span and next to nothing on disk for typical spans.
CREATE TABLE spans (
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
  attributes VARCHAR NOT NULL,
  status_code UTINYINT NOT NULL,
  flags UINTEGER NOT NULL,
  extras VARCHAR
);

-- One row per trace per write: where a trace's spans are in time, and what
-- a search summary needs, so neither a lookup nor a summary scans spans.
CREATE TABLE trace_index (
  trace_id UHUGEINT NOT NULL,
  start_min BIGINT NOT NULL,
  start_max BIGINT NOT NULL,
  end_max BIGINT NOT NULL,
  span_count UINTEGER NOT NULL,
  error_count UINTEGER NOT NULL,
  root_service VARCHAR,
  root_name VARCHAR,
  root_start BIGINT,
  first_service VARCHAR NOT NULL,
  first_name VARCHAR NOT NULL
);
CREATE INDEX trace_index_by_id ON trace_index (trace_id);

CREATE TABLE logs (
  time_ns BIGINT NOT NULL,
  time_unix_nano BIGINT NOT NULL,
  observed_time_unix_nano BIGINT NOT NULL,
  severity_number UTINYINT NOT NULL,
  severity_text VARCHAR NOT NULL,
  body VARCHAR NOT NULL,
  attributes VARCHAR NOT NULL,
  dropped_attributes_count UINTEGER NOT NULL,
  flags UINTEGER NOT NULL,
  trace_id UHUGEINT,
  span_id UBIGINT,
  event_name VARCHAR NOT NULL,
  service VARCHAR NOT NULL,
  resource_id UINTEGER NOT NULL,
  scope_id UINTEGER NOT NULL
);

-- Raw OTLP points, all five kinds in one table; columns a kind does not use are NULL.
CREATE TABLE metric_points (
  time_ns BIGINT NOT NULL,
  start_ns BIGINT NOT NULL,
  type UTINYINT NOT NULL,
  name VARCHAR NOT NULL,
  description VARCHAR NOT NULL,
  unit VARCHAR NOT NULL,
  metadata VARCHAR NOT NULL,
  resource_id UINTEGER NOT NULL,
  scope_id UINTEGER NOT NULL,
  attributes VARCHAR NOT NULL,
  flags UINTEGER NOT NULL,
  temporality UTINYINT,
  is_monotonic BOOLEAN,
  value_double DOUBLE,
  value_int BIGINT,
  count UBIGINT,
  sum DOUBLE,
  min DOUBLE,
  max DOUBLE,
  bucket_counts UBIGINT[],
  explicit_bounds DOUBLE[],
  scale INTEGER,
  zero_count UBIGINT,
  zero_threshold DOUBLE,
  positive_offset INTEGER,
  positive_bucket_counts UBIGINT[],
  negative_offset INTEGER,
  negative_bucket_counts UBIGINT[],
  quantiles DOUBLE[],
  quantile_values DOUBLE[],
  exemplars VARCHAR
);

-- Prometheus model: labels as a sorted JSON array of [name, value] pairs
-- (also the identity of the series).
CREATE TABLE series (
  id UINTEGER NOT NULL,
  metric VARCHAR NOT NULL,
  labels VARCHAR NOT NULL
);

CREATE TABLE samples (
  series_id UINTEGER NOT NULL,
  t BIGINT NOT NULL,
  v DOUBLE NOT NULL
);

CREATE TABLE exemplars (
  series_id UINTEGER NOT NULL,
  t BIGINT NOT NULL,
  v DOUBLE NOT NULL,
  labels VARCHAR NOT NULL
);

CREATE TABLE prom_metadata (
  metric VARCHAR NOT NULL PRIMARY KEY,
  type VARCHAR NOT NULL,
  help VARCHAR NOT NULL,
  unit VARCHAR NOT NULL
);
