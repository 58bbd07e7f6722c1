-- Distributes the metadata over a Citus cluster (docs/scale-out.md). Applied after the schema's own
-- migrations only when SYNCBOX_DB_CITUS=true, on the Citus coordinator, in one transaction.
--
-- Nine colocation groups; a statement that pins a group's column to one value runs on one worker:
--   namespace  namespace_id           namespaces, files, file_versions, journal, trash, conflicts,
--                                     shared_roots (by the namespace holding the shared item),
--                                     indexer_cursors, dav_locks
--   user       user_id                users, devices, sync_cursors, upload_sessions, block_grants,
--                                     shared_items (by shared_with_user_id: the recipient's mounts),
--                                     dav_uploads, dav_upload_chunks, app_passwords
--   device     device_id              selective_sync, selective_sync_includes
--   block      block_id               file_blocks, corrupt_blocks, block_deltas (by the block stored as a delta)
--   job        job                    job_cursors
--   pack       pack_id                delta_packs
--   email      email                  user_emails
--   file       file_id                file_directory (the namespace of each file, by id), dav_properties
--   listing    listing_id             listings, listing_entries
-- Citus requires every primary key and unique index of a distributed table to contain its
-- distribution column, and every foreign key between distributed tables to join two tables of one
-- group on that column. Keys are rebuilt to that shape first; a reference that crosses groups is
-- dropped and stays the application's to keep (listed in docs/scale-out.md).

CREATE EXTENSION IF NOT EXISTS citus;

-- trash.namespace_id came after its first rows (V4): any row still without it is filled here.
UPDATE trash t SET namespace_id = f.namespace_id FROM files f
    WHERE t.namespace_id IS NULL AND f.file_id = t.file_id;
ALTER TABLE trash ALTER COLUMN namespace_id SET NOT NULL;

-- References that cross groups.
ALTER TABLE users DROP CONSTRAINT fk_users_root_namespace;
ALTER TABLE namespaces DROP CONSTRAINT namespaces_owner_id_fkey;
ALTER TABLE namespaces DROP CONSTRAINT namespaces_root_file_id_fkey;
ALTER TABLE namespaces DROP CONSTRAINT namespaces_parent_namespace_id_fkey;
ALTER TABLE files DROP CONSTRAINT files_owner_id_fkey;
ALTER TABLE trash DROP CONSTRAINT trash_deleted_by_user_id_fkey;
ALTER TABLE shared_items DROP CONSTRAINT shared_items_file_id_fkey;
ALTER TABLE shared_items DROP CONSTRAINT shared_items_namespace_id_fkey;
ALTER TABLE shared_items DROP CONSTRAINT shared_items_owner_id_fkey;
ALTER TABLE sync_cursors DROP CONSTRAINT sync_cursors_device_id_fkey;
ALTER TABLE selective_sync DROP CONSTRAINT selective_sync_device_id_fkey;
ALTER TABLE selective_sync_includes DROP CONSTRAINT selective_sync_includes_device_id_fkey;
ALTER TABLE selective_sync_includes DROP CONSTRAINT selective_sync_includes_namespace_id_fkey;
ALTER TABLE block_grants DROP CONSTRAINT fk_block_grants_block;
ALTER TABLE block_deltas DROP CONSTRAINT block_deltas_base_block_id_fkey;
ALTER TABLE block_deltas DROP CONSTRAINT block_deltas_pack_id_fkey;
ALTER TABLE dav_properties DROP CONSTRAINT dav_properties_file_id_fkey;
ALTER TABLE dav_locks DROP CONSTRAINT dav_locks_user_id_fkey;

-- References inside the namespace group, rebuilt on (namespace_id, ...).
ALTER TABLE files DROP CONSTRAINT fk_files_current_version;
ALTER TABLE file_versions DROP CONSTRAINT file_versions_file_id_fkey;
ALTER TABLE trash DROP CONSTRAINT trash_file_id_fkey;

ALTER TABLE files DROP CONSTRAINT files_pkey;
ALTER TABLE files ADD PRIMARY KEY (namespace_id, file_id);
ALTER TABLE file_versions DROP CONSTRAINT file_versions_pkey;
ALTER TABLE file_versions ADD PRIMARY KEY (namespace_id, version_id);
ALTER TABLE trash DROP CONSTRAINT trash_pkey;
ALTER TABLE trash ADD PRIMARY KEY (namespace_id, file_id);
ALTER TABLE conflicts DROP CONSTRAINT conflicts_pkey;
ALTER TABLE conflicts ADD PRIMARY KEY (namespace_id, conflict_id);
ALTER TABLE dav_locks DROP CONSTRAINT dav_locks_pkey;
ALTER TABLE dav_locks ADD PRIMARY KEY (namespace_id, token);

ALTER TABLE file_versions ADD CONSTRAINT file_versions_file_id_fkey
    FOREIGN KEY (namespace_id, file_id) REFERENCES files (namespace_id, file_id);
ALTER TABLE files ADD CONSTRAINT fk_files_current_version
    FOREIGN KEY (namespace_id, current_version_id) REFERENCES file_versions (namespace_id, version_id)
    DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE trash ADD CONSTRAINT trash_file_id_fkey
    FOREIGN KEY (namespace_id, file_id) REFERENCES files (namespace_id, file_id);

-- One namespace per shared item is kept by shared_roots' primary key (namespace_id, file_id), in the
-- namespace that holds the item; the index on root_file_id stays for lookups, no longer unique.
DROP INDEX idx_namespaces_root_file;
CREATE INDEX idx_namespaces_root_file ON namespaces (root_file_id) WHERE root_file_id IS NOT NULL;

-- Devices and shares keyed within their user. An app password's secret is unique by chance (149 random bits),
-- not by an index: it is looked up within its user's rows.
ALTER TABLE app_passwords DROP CONSTRAINT app_passwords_device_id_fkey;
ALTER TABLE app_passwords DROP CONSTRAINT app_passwords_pkey;
ALTER TABLE app_passwords DROP CONSTRAINT app_passwords_secret_sha256_key;
ALTER TABLE app_passwords ADD PRIMARY KEY (user_id, device_id);
CREATE INDEX idx_app_passwords_secret ON app_passwords (user_id, secret_sha256);
ALTER TABLE devices DROP CONSTRAINT devices_pkey;
ALTER TABLE devices ADD PRIMARY KEY (user_id, device_id);
ALTER TABLE app_passwords ADD CONSTRAINT app_passwords_device_id_fkey
    FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id);
ALTER TABLE sync_cursors ADD CONSTRAINT sync_cursors_device_id_fkey
    FOREIGN KEY (user_id, device_id) REFERENCES devices (user_id, device_id);
-- A chunk names its session by id alone; the application joins them by user and session (the cascade goes).
ALTER TABLE dav_upload_chunks DROP CONSTRAINT dav_upload_chunks_session_id_fkey;
ALTER TABLE upload_sessions DROP CONSTRAINT upload_sessions_pkey;
ALTER TABLE upload_sessions ADD PRIMARY KEY (user_id, session_id);
ALTER TABLE shared_items DROP CONSTRAINT shared_items_pkey;
ALTER TABLE shared_items ADD PRIMARY KEY (shared_with_user_id, share_id);

-- Selective sync keyed by device: both tables live with the device's rows of the device group.
ALTER TABLE selective_sync_includes DROP CONSTRAINT selective_sync_includes_pkey;
ALTER TABLE selective_sync_includes ADD PRIMARY KEY (device_id, include_id);

-- E-mail addresses stay unique through the directory user_emails (V12), distributed by the address;
-- users keeps a plain index for the rare lookups by address of a known user.
ALTER TABLE user_emails DROP CONSTRAINT user_emails_user_id_fkey;
DROP INDEX idx_users_email;
CREATE INDEX idx_users_email ON users (email);

-- The groups. The first table of each group starts it; the others join it.
SELECT create_distributed_table('namespaces', 'namespace_id', colocate_with => 'none');
SELECT create_distributed_table('files', 'namespace_id', colocate_with => 'namespaces');
SELECT create_distributed_table('file_versions', 'namespace_id', colocate_with => 'namespaces');
SELECT create_distributed_table('journal', 'namespace_id', colocate_with => 'namespaces');
SELECT create_distributed_table('trash', 'namespace_id', colocate_with => 'namespaces');
SELECT create_distributed_table('conflicts', 'namespace_id', colocate_with => 'namespaces');
SELECT create_distributed_table('shared_roots', 'namespace_id', colocate_with => 'namespaces');
SELECT create_distributed_table('indexer_cursors', 'namespace_id', colocate_with => 'namespaces');
SELECT create_distributed_table('dav_locks', 'namespace_id', colocate_with => 'namespaces');

SELECT create_distributed_table('users', 'user_id', colocate_with => 'none');
SELECT create_distributed_table('devices', 'user_id', colocate_with => 'users');
SELECT create_distributed_table('sync_cursors', 'user_id', colocate_with => 'users');
SELECT create_distributed_table('upload_sessions', 'user_id', colocate_with => 'users');
SELECT create_distributed_table('block_grants', 'user_id', colocate_with => 'users');
SELECT create_distributed_table('shared_items', 'shared_with_user_id', colocate_with => 'users');
SELECT create_distributed_table('dav_uploads', 'user_id', colocate_with => 'users');
SELECT create_distributed_table('dav_upload_chunks', 'user_id', colocate_with => 'users');
SELECT create_distributed_table('app_passwords', 'user_id', colocate_with => 'users');

SELECT create_distributed_table('selective_sync', 'device_id', colocate_with => 'none');
SELECT create_distributed_table('selective_sync_includes', 'device_id', colocate_with => 'selective_sync');

SELECT create_distributed_table('file_blocks', 'block_id', colocate_with => 'none');
SELECT create_distributed_table('corrupt_blocks', 'block_id', colocate_with => 'file_blocks');
SELECT create_distributed_table('block_deltas', 'block_id', colocate_with => 'file_blocks');

SELECT create_distributed_table('job_cursors', 'job', colocate_with => 'none');

SELECT create_distributed_table('delta_packs', 'pack_id', colocate_with => 'none');

SELECT create_distributed_table('user_emails', 'email', colocate_with => 'none');

SELECT create_distributed_table('file_directory', 'file_id', colocate_with => 'none');
SELECT create_distributed_table('dav_properties', 'file_id', colocate_with => 'file_directory');

SELECT create_distributed_table('listings', 'listing_id', colocate_with => 'none');
SELECT create_distributed_table('listing_entries', 'listing_id', colocate_with => 'listings');
