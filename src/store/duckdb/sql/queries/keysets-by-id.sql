-- Key sets a read met that the catalog does not hold (a store written with a
-- larger bound), and their neighbours ({{ranges}}: integers only).
SELECT id, keys FROM attribute_keysets WHERE {{ranges}};
