-- The newest series the catalog keeps in memory (series-index.ts): one row
-- more than it keeps tells it that older ones stay on disk only.
SELECT id, labels FROM series ORDER BY id DESC LIMIT $limit;
