-- Nextcloud's chunked uploads (v2, docs/webdav.md): a transfer the client names under
-- /remote.php/dav/uploads/{email}/{transfer}, whose chunks are each kept as an upload session (blocks in S3, named
-- by the session, so the reaper leaves them alone). An expired session takes its chunk row with it.
CREATE TABLE dav_uploads (
    user_id     BIGINT       NOT NULL REFERENCES users (user_id),
    transfer_id VARCHAR(255) NOT NULL,
    destination TEXT,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ  NOT NULL,
    PRIMARY KEY (user_id, transfer_id)
);

CREATE TABLE dav_upload_chunks (
    user_id     BIGINT       NOT NULL,
    transfer_id VARCHAR(255) NOT NULL,
    chunk_name  VARCHAR(32)  NOT NULL,
    -- The chunk's number (its name, zero-padded or not): chunks are assembled in this order, whatever order they
    -- arrived in, and a chunk sent again replaces the one of its number.
    chunk_no    BIGINT       NOT NULL,
    session_id  VARCHAR(26)  NOT NULL REFERENCES upload_sessions (session_id) ON DELETE CASCADE,
    size_bytes  BIGINT       NOT NULL,
    created_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, transfer_id, chunk_no),
    FOREIGN KEY (user_id, transfer_id) REFERENCES dav_uploads (user_id, transfer_id) ON DELETE CASCADE
);
CREATE INDEX idx_dav_upload_chunks_session ON dav_upload_chunks (session_id);
