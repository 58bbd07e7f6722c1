-- Which namespace each file lives in, by file id. The API names a file by its id alone; once the
-- metadata is distributed by namespace (docs/scale-out.md), this directory, distributed by the id,
-- turns that id into the namespace in one routed lookup before the file itself is read. A file
-- never changes namespace, so a row is written once, when the file is created, and removed with it.
CREATE TABLE file_directory (
    file_id       VARCHAR(26) PRIMARY KEY,
    namespace_id  BIGINT      NOT NULL
);
INSERT INTO file_directory (file_id, namespace_id) SELECT file_id, namespace_id FROM files;
