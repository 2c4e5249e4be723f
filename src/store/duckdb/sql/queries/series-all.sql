-- Every series row (or those holding the label pair $needle, see
-- series-by-metric.sql), streamed, for a label read without a metric name
-- when the catalog no longer holds every series.
SELECT id, labels FROM series WHERE $needle IS NULL OR contains(labels, $needle);
