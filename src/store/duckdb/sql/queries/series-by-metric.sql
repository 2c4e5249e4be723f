-- Series rows of the given metric names, for a label read when the catalog
-- no longer holds every series (series-index.ts applies the other matchers).
SELECT id, labels FROM series WHERE metric IN (SELECT unnest($metrics));
