-- Schema version 7: each trace_index_hot row carries the sequence number of
-- the span write that appended it (this process's count, resumed at open
-- from the largest stored). A search reads the largest in the statement
-- that reads its traces' spans, so it knows which writes those spans
-- include: writes commit in order, so every write up to that number. A
-- move or retention deleting hot rows can only lower it (a search then
-- assumes less). Without it a search could not tell whether the write still
-- under way in JavaScript had already committed (DuckDB makes a COMMIT
-- visible before its promise resolves), and about one search in ten read
-- its traces' spans again (bench/search-p99.md). A one-row table updated in
-- each write cost ~0.2-0.45 ms of CPU per write (a second table in the
-- transaction); a column of rows already appended costs nothing measurable.
-- Rows written before are NULL.

ALTER TABLE trace_index_hot ADD COLUMN write_seq UINTEGER;
