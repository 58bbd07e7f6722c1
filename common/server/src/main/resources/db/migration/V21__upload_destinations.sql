-- Upload sessions that know their length and destination from the start (tus, docs/uploads.md): the append that
-- brings the last byte commits the file, and the session keeps the file and version it made until it expires, so
-- that a client which lost that answer can still learn it. NULL for the sessions of /upload-sessions, the Dropbox
-- API and Nextcloud's chunks, which are committed by a finish that names the path.
ALTER TABLE upload_sessions
    ADD COLUMN upload_length        BIGINT CHECK (upload_length >= 0),
    ADD COLUMN target_path          TEXT,
    -- overwrite: an existing file gets a new version; add: an existing name makes "name (1).ext".
    ADD COLUMN target_mode          VARCHAR(16),
    ADD COLUMN client_modified_at   TIMESTAMPTZ,
    -- The client's Upload-Metadata header as it sent it, answered again by HEAD.
    ADD COLUMN upload_metadata      TEXT,
    ADD COLUMN committed_file_id    VARCHAR(26),
    ADD COLUMN committed_version_id VARCHAR(26);
