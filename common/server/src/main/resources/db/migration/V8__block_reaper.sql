-- Block garbage collection in three committed steps (docs/history-and-trash.md, "Garbage collection"):
-- tombstone the row (it stops counting as stored), delete the S3 object while holding the row's lock,
-- then remove the row. A tombstoned row may or may not still have its object; it is never stored.
ALTER TABLE file_blocks ADD COLUMN tombstoned_at TIMESTAMPTZ;
ALTER TABLE file_blocks ADD CONSTRAINT file_blocks_tombstone_not_stored
    CHECK (tombstoned_at IS NULL OR NOT stored);

-- Set by a claim, cleared by a tombstone: marking a block stored must present the token of a claim
-- made since the last tombstone, so a put the reaper may have deleted never counts as stored.
ALTER TABLE file_blocks ADD COLUMN claim_token UUID;

CREATE INDEX idx_blocks_tombstoned ON file_blocks (tombstoned_at) WHERE tombstoned_at IS NOT NULL;
DROP INDEX idx_blocks_unreferenced;
CREATE INDEX idx_blocks_unreferenced ON file_blocks (last_accessed_at) WHERE refcount = 0 AND tombstoned_at IS NULL;

-- A grant names a block row and goes with it, whichever path removes the row. Grants left behind by
-- the old session cleanup go first.
DELETE FROM block_grants g WHERE NOT EXISTS (SELECT 1 FROM file_blocks b WHERE b.block_id = g.block_id);
ALTER TABLE block_grants ADD CONSTRAINT fk_block_grants_block
    FOREIGN KEY (block_id) REFERENCES file_blocks (block_id) ON DELETE CASCADE;
