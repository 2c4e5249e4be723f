-- Series rows of the given metric names, for a label read when the catalog
-- no longer holds every series (series-index.ts applies every matcher after).
-- $needle, when set, is one label pair as it appears in the key
-- (["name","value"]): a superset filter that spares parsing most rows.
SELECT id, labels
FROM series
WHERE metric IN (SELECT unnest($metrics)) AND ($needle IS NULL OR contains(labels, $needle));
