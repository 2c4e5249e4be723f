-- Resources a read met that the catalog's cache no longer holds, and their
-- neighbours by id ({{ranges}}: `id BETWEEN lo AND hi OR ...`, integers only).
SELECT * FROM resources WHERE {{ranges}};
