-- Sharing (ARCHITECTURE.md decisions 4 and 6). A shared file or folder gets a namespace of its own
-- (kind SHARED) whose journal is the owner's journal for that subtree, with paths relative to the
-- shared item: sharees follow it like their root. The files stay in the owner's namespace.
ALTER TABLE namespaces ADD COLUMN root_file_id VARCHAR(26) REFERENCES files (file_id);
-- The owner namespace holding the shared item: its journal appends are mirrored into this one.
ALTER TABLE namespaces ADD COLUMN parent_namespace_id BIGINT REFERENCES namespaces (namespace_id);
CREATE UNIQUE INDEX idx_namespaces_root_file ON namespaces (root_file_id) WHERE root_file_id IS NOT NULL;
CREATE INDEX idx_namespaces_parent ON namespaces (parent_namespace_id) WHERE parent_namespace_id IS NOT NULL;

-- Where the sharee sees the shared item: a top-level entry of their tree (docs/sharing.md).
ALTER TABLE shared_items ADD COLUMN mount_path VARCHAR(1024) NOT NULL;
ALTER TABLE shared_items ADD COLUMN mount_key VARCHAR(1024) COLLATE "C" NOT NULL;
ALTER TABLE shared_items ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE shared_items ALTER COLUMN namespace_id SET NOT NULL;
CREATE UNIQUE INDEX idx_shared_items_mount ON shared_items (shared_with_user_id, mount_key);
CREATE INDEX idx_shared_items_namespace ON shared_items (namespace_id);
