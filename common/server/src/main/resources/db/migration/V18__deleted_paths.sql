-- Entries in the trash by path, newest first: the Dropbox API's include_deleted, list_revisions and restore ask for
-- the entry last deleted at a path (docs/dropbox-api.md). Without it, each such question read the whole namespace.
CREATE INDEX idx_files_deleted_path ON files (namespace_id, path_key, deleted_at DESC) WHERE is_deleted;
