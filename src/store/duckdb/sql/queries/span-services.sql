SELECT DISTINCT service FROM spans WHERE service <> '';
