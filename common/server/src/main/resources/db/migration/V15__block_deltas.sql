-- The version store (docs/version-store.md): a block that newer content superseded may be stored as
-- a delta against a similar block, the one that replaced it (reverse deltas: the newest content
-- reads at full speed). The block keeps its id, the SHA-256 of its full bytes; the delta is an
-- object of its own, named after the block and its base, and every read of it rebuilds the block
-- from the base and checks that hash. A delta counts as one reference to its base in
-- file_blocks.refcount, so a base is never collected while a delta depends on it.
CREATE TABLE block_deltas (
    block_id       CHAR(64)    PRIMARY KEY REFERENCES file_blocks (block_id),
    base_block_id  CHAR(64)    NOT NULL REFERENCES file_blocks (block_id),
    delta_bytes    INT         NOT NULL CHECK (delta_bytes >= 0),
    -- the whole object is deleted some time after the delta is recorded (readers that chose it
    -- before may still be reading); true once it is gone
    whole_removed  BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK (block_id <> base_block_id)
);
CREATE INDEX idx_block_deltas_base ON block_deltas (base_block_id);
CREATE INDEX idx_block_deltas_whole ON block_deltas (created_at) WHERE NOT whole_removed;

-- Where a background job that walks a table in order got to, one row per job.
CREATE TABLE job_cursors (
    job         VARCHAR(64)  PRIMARY KEY,
    position    VARCHAR(64)  NOT NULL,
    updated_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
