-- What a file costs in PostgreSQL: every metadata table's rows, its bytes on disk with its indexes and
-- TOAST, and those bytes per row and per live file. Run against a database that has seen a load run
-- (bench/throughput.sh, bench/load.sh): psql -h 127.0.0.1 -p 15432 -U postgres -d syncbox -f bench/row-sizes.sql
-- docs/scale-out.md turns the "per file" column into workers for the seed's 2 billion files.
\pset footer off
ANALYZE;
WITH sizes AS (
    SELECT c.relname AS table_name,
           c.reltuples::bigint AS estimated_rows,
           pg_total_relation_size(c.oid) AS total_bytes
    FROM pg_class c
    WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
      AND c.relname NOT IN ('flyway_schema_history')
),
files AS (SELECT count(*) AS live FROM files WHERE NOT is_deleted AND NOT is_dir)
SELECT s.table_name,
       greatest(s.estimated_rows, 0) AS rows,
       pg_size_pretty(s.total_bytes) AS on_disk,
       CASE WHEN s.estimated_rows > 0 THEN round(s.total_bytes::numeric / s.estimated_rows) END AS bytes_per_row,
       round(s.total_bytes::numeric / greatest(f.live, 1)) AS bytes_per_live_file
FROM sizes s, files f
ORDER BY s.total_bytes DESC;

SELECT (SELECT count(*) FROM files WHERE NOT is_deleted AND NOT is_dir) AS live_files,
       (SELECT count(*) FROM files WHERE is_dir) AS folders,
       (SELECT count(*) FROM file_versions) AS versions,
       (SELECT count(*) FROM namespaces) AS namespaces,
       (SELECT count(*) FROM users) AS users,
       round((SELECT sum(pg_total_relation_size(oid)) FROM pg_class
              WHERE relnamespace = 'public'::regnamespace AND relkind = 'r')
             / greatest((SELECT count(*) FROM files WHERE NOT is_deleted AND NOT is_dir), 1)) AS metadata_bytes_per_live_file;
