-- The stored metric names, for a label read whose __name__ matcher is a
-- regex or a negation (series-index.ts picks the names it selects).
SELECT DISTINCT metric FROM series;
