-- Delta sync: block claims, per-version content-hash block digests, resumable upload sessions.

-- A writer first claims a block (stored = false, last_accessed_at = now), then puts it in S3, then
-- marks it stored. Only stored blocks count as existing; garbage collection removes rows with
-- refcount 0 untouched for its grace period, so it never races an upload in flight (docs/delta-sync.md).
ALTER TABLE file_blocks ADD COLUMN stored BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE file_blocks ALTER COLUMN stored SET DEFAULT FALSE;

-- SHA-256 of each 4 MiB window of the content, concatenated: content_hash = SHA-256(hash_windows).
-- A new version re-hashes only the windows an edit touched.
ALTER TABLE file_versions ADD COLUMN hash_windows BYTEA;

CREATE TABLE upload_sessions (
    session_id      VARCHAR(26) PRIMARY KEY,
    user_id         BIGINT      NOT NULL REFERENCES users (user_id),
    device_id       VARCHAR(26),
    offset_bytes    BIGINT      NOT NULL DEFAULT 0 CHECK (offset_bytes >= 0),
    -- Complete chunks so far (stored), the unchunked tail, and the content-hash state.
    block_ids       TEXT[]      NOT NULL DEFAULT '{}',
    block_sizes     INT[]       NOT NULL DEFAULT '{}',
    chunk_tail      BYTEA       NOT NULL DEFAULT '\x',
    hash_windows    BYTEA       NOT NULL DEFAULT '\x',
    window_tail     BYTEA       NOT NULL DEFAULT '\x',
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX idx_upload_sessions_user ON upload_sessions (user_id);
CREATE INDEX idx_upload_sessions_expires ON upload_sessions (expires_at);
CREATE INDEX idx_upload_sessions_blocks ON upload_sessions USING GIN (block_ids);
