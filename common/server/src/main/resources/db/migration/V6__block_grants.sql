-- Who may name a block: a user who sent its bytes (block_grants), or who can read a version naming
-- it. Knowing a hash is not enough (the "Dropship" hole of deduplicating stores).
CREATE TABLE block_grants (
    user_id     BIGINT      NOT NULL REFERENCES users (user_id),
    block_id    CHAR(64)    NOT NULL,
    granted_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, block_id)
);
CREATE INDEX idx_block_grants_block ON block_grants (block_id);
