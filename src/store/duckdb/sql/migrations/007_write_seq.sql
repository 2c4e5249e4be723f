-- Schema version 7: one row holding the sequence number of the last span
-- write committed (this process's count, resumed from here at open). Each
-- span write sets it inside its own transaction, and a search reads it in
-- the statement that reads its traces' spans, so the search knows exactly
-- which writes those spans include. Without it a search could not tell
-- whether the write still under way in JavaScript had already committed
-- (DuckDB makes a COMMIT visible before its promise resolves), and about
-- one search in ten read its traces' spans again (bench/search-p99.md).

CREATE TABLE write_seq (seq UBIGINT NOT NULL);
INSERT INTO write_seq VALUES (0);
