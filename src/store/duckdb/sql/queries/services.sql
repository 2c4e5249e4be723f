SELECT DISTINCT service
FROM spans
WHERE start_ns >= $start AND start_ns < $end AND service <> ''
ORDER BY service;
