INSERT OR REPLACE INTO prom_metadata (metric, type, help, unit) VALUES ($metric, $type, $help, $unit);
