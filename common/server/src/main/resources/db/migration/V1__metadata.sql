-- Metadata schema: the seed's tables plus namespaces, the change journal and devices.
-- Ids: users are BIGSERIAL (as in the seed), files/versions/devices are ULIDs (26 chars).

CREATE TABLE users (
    user_id            BIGSERIAL PRIMARY KEY,
    email              VARCHAR(255) NOT NULL,
    name               VARCHAR(255) NOT NULL,
    password_hash      VARCHAR(255) NOT NULL,
    plan               VARCHAR(20)  NOT NULL DEFAULT 'free' CHECK (plan IN ('free', 'pro', 'business')),
    used_space_bytes   BIGINT       NOT NULL DEFAULT 0 CHECK (used_space_bytes >= 0),
    max_space_bytes    BIGINT       NOT NULL CHECK (max_space_bytes >= 0),
    root_namespace_id  BIGINT,
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now()
);
-- Emails are matched case-insensitively; the Java side stores them lower-cased.
CREATE UNIQUE INDEX idx_users_email ON users (email);

-- A namespace is a user's root or a shared folder (ARCHITECTURE.md decision 4).
-- last_seq is the head of its journal: bumped under the row lock, so sequences are gap-free.
CREATE TABLE namespaces (
    namespace_id  BIGSERIAL PRIMARY KEY,
    owner_id      BIGINT      NOT NULL REFERENCES users (user_id),
    kind          VARCHAR(10) NOT NULL CHECK (kind IN ('ROOT', 'SHARED')),
    last_seq      BIGINT      NOT NULL DEFAULT 0,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
ALTER TABLE users ADD CONSTRAINT fk_users_root_namespace
    FOREIGN KEY (root_namespace_id) REFERENCES namespaces (namespace_id);

CREATE TABLE devices (
    device_id     VARCHAR(26)  PRIMARY KEY,
    user_id       BIGINT       NOT NULL REFERENCES users (user_id),
    name          VARCHAR(255) NOT NULL,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_seen_at  TIMESTAMPTZ  NOT NULL DEFAULT now(),
    revoked_at    TIMESTAMPTZ
);
CREATE INDEX idx_devices_user ON devices (user_id, created_at);

CREATE TABLE files (
    file_id             VARCHAR(26)   PRIMARY KEY,
    namespace_id        BIGINT        NOT NULL REFERENCES namespaces (namespace_id),
    owner_id            BIGINT        NOT NULL REFERENCES users (user_id),
    file_path           VARCHAR(1024) NOT NULL,
    -- Case-folded file_path: paths are case-preserving but case-insensitive (docs/paths.md).
    path_key            VARCHAR(1024) NOT NULL,
    parent_dir_path     VARCHAR(1024),
    is_dir              BOOLEAN       NOT NULL DEFAULT FALSE,
    current_version_id  VARCHAR(26),
    size_bytes          BIGINT        NOT NULL DEFAULT 0,
    content_hash        CHAR(64),
    is_deleted          BOOLEAN       NOT NULL DEFAULT FALSE,
    created_at          TIMESTAMPTZ   NOT NULL DEFAULT now(),
    modified_at         TIMESTAMPTZ   NOT NULL DEFAULT now(),
    deleted_at          TIMESTAMPTZ
);
CREATE UNIQUE INDEX idx_files_owner_path ON files (namespace_id, path_key) WHERE NOT is_deleted;
CREATE INDEX idx_files_owner_modified ON files (owner_id, modified_at DESC);

CREATE TABLE file_versions (
    version_id             VARCHAR(26) PRIMARY KEY,
    file_id                VARCHAR(26) NOT NULL REFERENCES files (file_id),
    device_id              VARCHAR(26),
    parent_version_id      VARCHAR(26),
    delta_from_version_id  VARCHAR(26),
    content_hash           CHAR(64)    NOT NULL,
    size_bytes             BIGINT      NOT NULL CHECK (size_bytes >= 0),
    block_ids              TEXT[]      NOT NULL,
    is_conflict            BOOLEAN     NOT NULL DEFAULT FALSE,
    created_at             TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_versions_file_created ON file_versions (file_id, created_at DESC);
ALTER TABLE files ADD CONSTRAINT fk_files_current_version
    FOREIGN KEY (current_version_id) REFERENCES file_versions (version_id) DEFERRABLE INITIALLY DEFERRED;

-- One row per stored S3 object. refcount = number of versions whose block list names the block.
CREATE TABLE file_blocks (
    block_id          CHAR(64)     PRIMARY KEY,
    block_size_bytes  INT          NOT NULL CHECK (block_size_bytes >= 0),
    s3_location       VARCHAR(512) NOT NULL,
    refcount          INT          NOT NULL DEFAULT 0 CHECK (refcount >= 0),
    created_at        TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_accessed_at  TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX idx_blocks_last_accessed ON file_blocks (last_accessed_at DESC);
CREATE INDEX idx_blocks_unreferenced ON file_blocks (last_accessed_at) WHERE refcount = 0;

-- Every metadata change, per namespace, in commit order (ARCHITECTURE.md decision 4).
CREATE TABLE journal (
    namespace_id  BIGINT        NOT NULL REFERENCES namespaces (namespace_id),
    seq           BIGINT        NOT NULL,
    file_id       VARCHAR(26)   NOT NULL,
    operation     VARCHAR(10)   NOT NULL CHECK (operation IN ('CREATE', 'UPDATE', 'DELETE', 'MOVE')),
    path          VARCHAR(1024) NOT NULL,
    from_path     VARCHAR(1024),
    version_id    VARCHAR(26),
    size_bytes    BIGINT,
    content_hash  CHAR(64),
    is_dir        BOOLEAN       NOT NULL DEFAULT FALSE,
    device_id     VARCHAR(26),
    created_at    TIMESTAMPTZ   NOT NULL DEFAULT now(),
    PRIMARY KEY (namespace_id, seq)
);

CREATE TABLE sync_cursors (
    user_id            BIGINT       NOT NULL REFERENCES users (user_id),
    device_id          VARCHAR(26)  NOT NULL REFERENCES devices (device_id),
    last_cursor        TEXT,
    cursor_version_id  VARCHAR(26),
    created_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, device_id)
);

CREATE TABLE shared_items (
    share_id             BIGSERIAL   PRIMARY KEY,
    file_id              VARCHAR(26) NOT NULL REFERENCES files (file_id),
    owner_id             BIGINT      NOT NULL REFERENCES users (user_id),
    shared_with_user_id  BIGINT      NOT NULL REFERENCES users (user_id),
    namespace_id         BIGINT      REFERENCES namespaces (namespace_id),
    permission           VARCHAR(20) NOT NULL CHECK (permission IN ('READ', 'READ_WRITE')),
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX idx_shared_items_user ON shared_items (shared_with_user_id, created_at DESC);
CREATE UNIQUE INDEX idx_shared_items_file_user ON shared_items (file_id, shared_with_user_id);

CREATE TABLE trash (
    file_id             VARCHAR(26)   PRIMARY KEY REFERENCES files (file_id),
    deleted_by_user_id  BIGINT        REFERENCES users (user_id),
    deleted_path        VARCHAR(1024) NOT NULL,
    deleted_at          TIMESTAMPTZ   NOT NULL DEFAULT now(),
    recovery_deadline   TIMESTAMPTZ   NOT NULL
);
CREATE INDEX idx_trash_user_deleted ON trash (deleted_by_user_id, deleted_at DESC);
CREATE INDEX idx_trash_deadline ON trash (recovery_deadline);
