-- Every series row, streamed, for a label read without a metric name when
-- the catalog no longer holds every series.
SELECT id, labels FROM series;
