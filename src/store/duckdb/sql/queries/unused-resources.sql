-- After retention: resources no span, log record or metric point refers to
-- any more (senders whose resource attributes vary would otherwise grow
-- this table forever). Returns the ids so the catalog forgets them too.
DELETE FROM resources
WHERE id NOT IN (SELECT DISTINCT resource_id FROM spans)
  AND id NOT IN (SELECT DISTINCT resource_id FROM logs)
  AND id NOT IN (SELECT DISTINCT resource_id FROM metric_points)
RETURNING id;
