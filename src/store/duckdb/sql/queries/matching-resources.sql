-- For each tag of a search (its needles, see tagNeedles in params.ts): the
-- ids of the stored resources whose attributes hold it. Tags no resource
-- has get no row. Read from the table, not the catalog: the catalog is a
-- bounded cache and may not hold every resource.
SELECT t.i AS tag, list(r.id ORDER BY r.id) AS ids
FROM (SELECT unnest(range(1, len($needles) + 1)) AS i) t
JOIN resources r ON contains_any(r.attributes, $needles[t.i])
GROUP BY t.i;
