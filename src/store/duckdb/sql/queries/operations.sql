SELECT DISTINCT name, kind
FROM spans
WHERE service = $service AND ($kind IS NULL OR kind = $kind)
ORDER BY name, kind;
