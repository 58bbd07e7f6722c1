-- Every table that holds a namespace's metadata carries namespace_id, the column the metadata is
-- distributed by when it outgrows one PostgreSQL (docs/scale-out.md). Versions and conflicts lacked
-- it: they reached their namespace only through files. The services write it and read by it from
-- now on; rows of earlier versions are filled here. Services of the previous release cannot write
-- these tables once it is NOT NULL: stop them before this migration runs.
ALTER TABLE file_versions ADD COLUMN namespace_id BIGINT;
UPDATE file_versions v SET namespace_id = f.namespace_id FROM files f WHERE f.file_id = v.file_id;
ALTER TABLE file_versions ALTER COLUMN namespace_id SET NOT NULL;
CREATE INDEX idx_versions_namespace_file ON file_versions (namespace_id, file_id, created_at DESC);

ALTER TABLE conflicts ADD COLUMN namespace_id BIGINT;
UPDATE conflicts c SET namespace_id = f.namespace_id FROM files f WHERE f.file_id = c.file_id;
ALTER TABLE conflicts ALTER COLUMN namespace_id SET NOT NULL;

-- E-mail addresses are unique across all users. A directory keyed by the address holds that
-- uniqueness, so that users itself can be distributed by user_id (a unique index there could not
-- span the shards); sign-in and share-by-email look the address up here, then the user by id.
CREATE TABLE user_emails (
    email    VARCHAR(255) PRIMARY KEY,
    user_id  BIGINT       NOT NULL REFERENCES users (user_id)
);
INSERT INTO user_emails (email, user_id) SELECT email, user_id FROM users;
