-- Schema version 2: raw metric points searchable by service without a join.
-- Backfills the column from each point's resource.

ALTER TABLE metric_points ADD COLUMN service VARCHAR DEFAULT '';

UPDATE metric_points
SET service = r.service
FROM resources r
WHERE r.id = metric_points.resource_id;
