-- Ids of metric names in sample_metrics (read-metrics.ts keeps them: an id
-- never changes once given).
SELECT metric, id FROM sample_metrics WHERE metric IN (SELECT unnest($metrics));
