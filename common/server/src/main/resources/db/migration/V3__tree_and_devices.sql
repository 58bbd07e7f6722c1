-- Tree operations and multi-device sync.

-- Path keys compare byte-wise, so a folder's subtree is one index range:
-- path_key >= '<folder>/' AND path_key < '<folder>0' ('0' follows '/').
ALTER TABLE files ALTER COLUMN path_key TYPE VARCHAR(1024) COLLATE "C";
ALTER TABLE files ADD COLUMN parent_key VARCHAR(1024) COLLATE "C";
UPDATE files SET parent_key = lower(parent_dir_path);
CREATE INDEX idx_files_parent ON files (namespace_id, parent_key, path_key) WHERE NOT is_deleted;

-- Selective sync: the folders a device does not sync (path keys).
CREATE TABLE selective_sync (
    device_id   VARCHAR(26) PRIMARY KEY REFERENCES devices (device_id),
    excluded    TEXT[]      NOT NULL DEFAULT '{}',
    updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Folders a device has just included again: its feed sends their current contents first.
CREATE TABLE selective_sync_includes (
    include_id    BIGSERIAL   PRIMARY KEY,
    device_id     VARCHAR(26) NOT NULL REFERENCES devices (device_id),
    namespace_id  BIGINT      NOT NULL REFERENCES namespaces (namespace_id),
    path_key      TEXT        COLLATE "C" NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_selective_sync_includes_device ON selective_sync_includes (device_id, include_id);
