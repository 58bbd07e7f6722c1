-- WebDAV and Nextcloud clients (docs/webdav.md).

-- App passwords: the Basic-auth secret of one DAV client, which signs in as a device of its own (revoking
-- the device revokes the password). Only the SHA-256 of the secret is kept.
CREATE TABLE app_passwords (
    device_id     VARCHAR(26)  PRIMARY KEY REFERENCES devices (device_id),
    user_id       BIGINT       NOT NULL REFERENCES users (user_id),
    name          VARCHAR(255) NOT NULL,
    secret_sha256 CHAR(64)     NOT NULL UNIQUE,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX idx_app_passwords_user ON app_passwords (user_id, created_at);

-- WebDAV write locks (exclusive), by path in the owner's namespace: a lock may name a path nothing is at yet.
CREATE TABLE dav_locks (
    token          VARCHAR(80)   PRIMARY KEY,
    namespace_id   BIGINT        NOT NULL REFERENCES namespaces (namespace_id),
    path_key       VARCHAR(1024) COLLATE "C" NOT NULL,
    file_path      VARCHAR(1024) NOT NULL,
    depth_infinity BOOLEAN       NOT NULL,
    user_id        BIGINT        NOT NULL REFERENCES users (user_id),
    owner_xml      TEXT,
    timeout_s      BIGINT        NOT NULL,
    created_at     TIMESTAMPTZ   NOT NULL DEFAULT now(),
    expires_at     TIMESTAMPTZ   NOT NULL
);
CREATE INDEX idx_dav_locks_path ON dav_locks (namespace_id, path_key);

-- Dead properties (PROPPATCH) of an entry: they follow it through moves and renames.
CREATE TABLE dav_properties (
    file_id       VARCHAR(26)  NOT NULL REFERENCES files (file_id),
    namespace_uri VARCHAR(512) NOT NULL,
    local_name    VARCHAR(255) NOT NULL,
    value_xml     TEXT         NOT NULL,
    PRIMARY KEY (file_id, namespace_uri, local_name)
);

-- The journal sequence of an entry's latest change: a folder's ETag is built from its descendants' (docs/webdav.md).
ALTER TABLE files ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 0;
UPDATE files f SET change_seq = j.seq
  FROM (SELECT namespace_id, file_id, max(seq) AS seq FROM journal GROUP BY namespace_id, file_id) j
 WHERE f.namespace_id = j.namespace_id AND f.file_id = j.file_id;

-- The modification time a client gave for a version (X-OC-Mtime, Dropbox's client_modified), if any.
ALTER TABLE file_versions ADD COLUMN client_modified_at TIMESTAMPTZ;
ALTER TABLE files ADD COLUMN client_modified_at TIMESTAMPTZ;
