-- Ids of stored series by their key (the labels column), for a write whose
-- series fell out of the catalog's memory. The metric name narrows the scan.
SELECT id, labels
FROM series
WHERE metric IN (SELECT unnest($metrics)) AND labels IN (SELECT unnest($keys))
ORDER BY id;
