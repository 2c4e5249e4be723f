SELECT metric, type, help, unit
FROM prom_metadata
WHERE $metric IS NULL OR metric = $metric
ORDER BY metric;
