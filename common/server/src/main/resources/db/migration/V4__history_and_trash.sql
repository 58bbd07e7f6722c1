-- Version history, trash and block maintenance.

-- Rows deleted together (a file, or a folder and its subtree) point at the entry that went to the
-- trash, so restoring it brings back exactly them.
ALTER TABLE files ADD COLUMN trash_root_id VARCHAR(26);
CREATE INDEX idx_files_trash_root ON files (trash_root_id) WHERE trash_root_id IS NOT NULL;

ALTER TABLE trash ADD COLUMN namespace_id BIGINT REFERENCES namespaces (namespace_id);
ALTER TABLE trash ADD COLUMN is_dir BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE trash ADD COLUMN size_bytes BIGINT NOT NULL DEFAULT 0;

-- Blocks whose bytes in the store no longer hash to their id (found by the scrub).
CREATE TABLE corrupt_blocks (
    block_id       CHAR(64)    PRIMARY KEY,
    actual_sha256  CHAR(64),
    detected_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX idx_versions_blocks ON file_versions USING GIN (block_ids);
