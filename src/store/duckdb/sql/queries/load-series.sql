SELECT id, labels FROM series ORDER BY id;
