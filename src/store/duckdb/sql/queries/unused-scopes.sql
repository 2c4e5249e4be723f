-- After retention: scopes nothing refers to any more (see unused-resources.sql).
DELETE FROM scopes
WHERE id NOT IN (SELECT DISTINCT scope_id FROM spans)
  AND id NOT IN (SELECT DISTINCT scope_id FROM logs)
  AND id NOT IN (SELECT DISTINCT scope_id FROM metric_points)
RETURNING id;
